"""Train the character-level LSTM of notebook 08 on data/corpus.txt.

    OPENBLAS_NUM_THREADS=1 python benchmarks/train_char_model.py

The last 10 % of the corpus is held out. The model trains with truncated BPTT over
B parallel streams (lstmlearn.tasks.text), is scored in bits per character on the
held-out text, and is saved to data/models/char_lstm.npz (load it with
lstmlearn.load_model; meta["chars"] is the vocabulary). Results, samples and the
history go to data/results/char_lstm.json.
"""

import argparse
import shlex
import sys
import time
from pathlib import Path

import numpy as np

import lstmlearn as ll
from lstmlearn import tasks

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from run_long_lag import subsample, to_json  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seq-len", type=int, default=50)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--steps", type=int, default=100000)
    ap.add_argument("--max-seconds", type=float, default=270.0)
    ap.add_argument("--eval-every", type=int, default=250)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dtype", default="float32")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()

    text = (ROOT / "data" / "corpus.txt").read_text()
    vocab = tasks.Vocab.from_text(text)
    ids = vocab.encode(text)
    split = int(0.9 * len(ids))
    train_ids, test_ids = ids[:split], ids[split:]
    task = tasks.text_task(train_ids, vocab, args.batch, args.seq_len)
    eval_set = tasks.Batch(tasks.streams(test_ids, args.batch), None)
    model = task.model("lstm", args.hidden)
    params = ll.init_model(model, np.random.default_rng(args.seed), forget_bias=1.0, dtype=np.dtype(args.dtype))
    unigram = tasks.unigram_bpc(train_ids, test_ids, vocab.size)

    t0 = time.perf_counter()
    res = ll.train(model, params, task, ll.Adam(lr=args.lr), args.steps, batch_size=args.batch,
                   seed=args.seed + 1, clip=args.clip, eval_set=eval_set, eval_every=args.eval_every,
                   max_seconds=args.max_seconds, progress=not args.quiet)
    wall = time.perf_counter() - t0
    h = res.history
    bpc = float(h.score[-1])
    model_path = ROOT / "data" / "models" / "char_lstm.npz"  # float32, as trained (half the size)
    ll.save_model(model_path, res.params, model, chars=vocab.chars, heldout_bpc=bpc, unigram_bpc=unigram)
    params64 = {k: v.astype(np.float64) for k, v in res.params.items()}
    samples = {str(temp): tasks.sample_text(params64, model, vocab, np.random.default_rng(7), 400, temp,
                                            prime="The ")
               for temp in (0.5, 0.8, 1.0)}
    print(f"{int(h.step[-1])} steps in {wall:.1f} s: held-out {bpc:.3f} bits/char (unigram {unigram:.3f})")
    for temp, s in samples.items():
        print(f"--- temperature {temp} ---\n{s}\n")
    result = {
        "command": "python " + " ".join(shlex.quote(a) for a in sys.argv),
        "corpus": "data/corpus.txt", "corpus_chars": len(ids), "vocab_size": vocab.size,
        "train_chars": len(train_ids), "heldout_chars": len(test_ids),
        "seeds": {"init": args.seed, "batches": args.seed + 1, "samples": 7},
        "hyperparameters": {"hidden_size": args.hidden, "batch_size": args.batch, "seq_len": args.seq_len,
                            "optimizer": "Adam", "lr": args.lr, "clip": args.clip, "forget_bias": 1.0,
                            "dtype": args.dtype, "max_seconds": args.max_seconds},
        "steps": int(h.step[-1]), "wall_seconds": round(wall, 2), "stopped": res.stopped,
        "heldout_bpc": bpc, "unigram_bpc": unigram, "model": "data/models/char_lstm.npz",
        "samples": samples, "history": subsample(h),
    }
    out = ROOT / "data" / "results" / "char_lstm.json"
    out.write_text(to_json(result))
    print(f"wrote {out} and {model_path}")


if __name__ == "__main__":
    main()
