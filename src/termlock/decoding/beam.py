"""Lexically constrained beam search on a Marian-style encoder-decoder with its KV cache.

Algorithm (dynamic beam allocation, Post & Vilar 2018, with a hard length guarantee):

1. The encoder runs once; each step feeds one token per hypothesis with the decoder cache, and the
   self-attention cache is reordered with the chosen beam indices (cross-attention is identical for
   the beams of one segment, so it never needs reordering).
2. Log-probabilities ``[batch*beam, vocab]`` are masked with torch ops: padding always; tokens that
   would complete a forbidden string (:class:`BanTracker`); word-continuation pieces right after a
   finished rendering; EOS until every constraint of the hypothesis is met.
3. **Length guarantee.** With ``r`` steps left (EOS slot included) a hypothesis must keep
   ``need <= r - 1`` (``need`` is exact, see ``positive.py``). When some token would break that,
   those tokens are masked: either only the trie tokens that keep it are left (the next tokens of
   the unmet renderings), or -- when a filler token keeps it too -- everything but the breaking trie
   tokens. So constraints get written even by a model that never wants them, and every hypothesis
   can end with EOS inside the cap. If every forced token is also banned, the positive constraint
   wins (the forbidden string then overlaps the boundary of a required rendering -- the only way
   the two can collide after plan-time filtering). Tokens completing a required occurrence that
   overlaps the last credited one are always masked (see ``PositiveTracker.blocked``). The cap
   never exceeds the model's positions; the decoder drops requests that cannot fit.
4. Candidates per segment: the top ``2k`` of ``k * vocab`` scores, each hypothesis's best token and
   every token that advances an unmet constraint. They are grouped into banks by constraint
   progress; slot 1 goes to the best-scoring candidate, the rest round-robin over banks from most
   to least progress. EOS candidates among the top ``k`` (or a hypothesis's best token) finish.

Per-step Python work is over candidates (tens per segment), never over the vocabulary.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
from transformers.cache_utils import EncoderDecoderCache
from transformers.modeling_outputs import BaseModelOutput

from termlock.decoding.automata import BanTracker, PositiveTracker
from termlock.decoding.constraints import SegmentPlan
from termlock.decoding.vocab import TargetVocab

NEG_INF = float("-inf")
# (allowed token ids or None = all, forced tokens override bans, excluded token ids)
_Restriction = tuple[list[int] | None, bool, list[int]]


@dataclass
class _Segment:
    pos: PositiveTracker
    ban: BanTracker
    cap: int  # output tokens allowed, EOS included
    total: int  # need at the start: progress = total - need
    finished: list[tuple[float, list[int]]] = field(default_factory=list)
    done: bool = False


@dataclass
class _Rows:
    """Per-hypothesis search state, parallel lists over ``batch * beam`` rows."""

    ac: list[int]
    unmet: list[tuple[int, ...]]
    ban: list[int]
    glue: list[bool]
    seqs: list[list[int]]
    live: list[bool]


@dataclass(frozen=True)
class _Cand:
    score: float
    row: int
    tok: int


class ConstrainedBeamSearch:
    """Batched constrained beam search (see the module docstring for the algorithm)."""

    def __init__(
        self,
        model: Any,
        vocab: TargetVocab,
        num_beams: int,
        max_new_tokens: int,
        min_new_tokens: int = 0,
        forced_bos_token_id: int | None = None,
    ) -> None:
        """Set up the search.

        Args:
            model: A ``MarianMTModel``-like model (``get_encoder``, decoder forward with cache).
            vocab: Target vocabulary view of the model's tokenizer.
            num_beams: Beam size ``k`` (1 = greedy with the same guarantees).
            max_new_tokens: Cap on output tokens, EOS included (raised per segment if its
                constraints alone need more).
            min_new_tokens: EOS is not allowed before this many tokens.
            forced_bos_token_id: Token forced as the first output token (multilingual models).
        """
        self.model = model
        self.vocab = vocab
        self.k = max(1, int(num_beams))
        self.max_new = int(max_new_tokens)
        self.min_new = int(min_new_tokens)
        self.forced_bos = forced_bos_token_id
        gen = getattr(model, "generation_config", None)
        self.length_penalty = float(getattr(gen, "length_penalty", 1.0) or 1.0)
        self.start_id = int(model.config.decoder_start_token_id)
        params = inspect.signature(model.forward).parameters
        self._cache_kw = "cache" if "cache" in params else "past_key_values"
        # Decoder positions 0 .. cap-1 are fed (the last output token never is).
        limit = getattr(model.config, "max_position_embeddings", None)
        self.position_limit: int | None = int(limit) if limit else None

    # -- public ---------------------------------------------------------------------------------

    @torch.inference_mode()
    def search(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, plans: Sequence[SegmentPlan]
    ) -> list[list[int]]:
        """Decode a batch; returns output token ids per segment (EOS included when written)."""
        segs = [self._segment(p) for p in plans]
        enc = self.model.get_encoder()(input_ids=input_ids, attention_mask=attention_mask)
        hidden = enc.last_hidden_state.repeat_interleave(self.k, dim=0)
        enc_out = BaseModelOutput(last_hidden_state=hidden)
        mask = attention_mask.repeat_interleave(self.k, dim=0)
        n = len(segs) * self.k
        rows = _Rows(
            ac=[0] * n,
            unmet=[s.pos.initial_unmet for s in segs for _ in range(self.k)],
            ban=[0] * n,
            glue=[False] * n,
            seqs=[[] for _ in range(n)],
            live=[i % self.k == 0 for i in range(n)],
        )
        scores = torch.tensor([0.0 if live else NEG_INF for live in rows.live], device=hidden.device)
        last = torch.full((n, 1), self.start_id, dtype=torch.long, device=hidden.device)
        cache: Any = None
        for t in range(max(s.cap for s in segs)):
            kwargs = {self._cache_kw: cache}
            out = self.model(
                encoder_outputs=enc_out, attention_mask=mask, decoder_input_ids=last, use_cache=True, **kwargs
            )
            cache = out.cache if hasattr(out, "cache") else out.past_key_values
            logprobs = torch.log_softmax(out.logits[:, -1, :].float(), dim=-1)
            self._apply_masks(logprobs, rows, segs, t)
            step_scores = logprobs.add_(scores[:, None])
            src, toks, new_scores = self._select(step_scores, rows, segs, t)
            if src != list(range(n)):
                self._reorder(cache, torch.tensor(src, device=hidden.device))
            scores = torch.tensor(new_scores, device=hidden.device)
            last = torch.tensor(toks, dtype=torch.long, device=hidden.device)[:, None]
            if all(s.done for s in segs):
                break
        return [max(s.finished, key=lambda f: f[0])[1] if s.finished else [] for s in segs]

    # -- setup ----------------------------------------------------------------------------------

    def tokens_needed(self, plan: SegmentPlan) -> int:
        """Output tokens ``plan``'s constraints need at least: the exact ``need``, EOS, forced BOS."""
        pos = PositiveTracker(plan.groups, self.vocab)
        return pos.need(0, pos.initial_unmet) + 1 + (self.forced_bos is not None)

    def _segment(self, plan: SegmentPlan) -> _Segment:
        pos = PositiveTracker(plan.groups, self.vocab)
        total = pos.need(0, pos.initial_unmet)
        # A cap too short for the constraints themselves is raised: satisfaction is the guarantee.
        # It never passes the model's positions (the decoder drops requests that cannot fit).
        cap = max(self.max_new, total + 1 + (self.forced_bos is not None))
        if self.position_limit is not None:
            cap = min(cap, self.position_limit)
        return _Segment(pos=pos, ban=BanTracker(plan.banned, self.vocab), cap=cap, total=total)

    def _reorder(self, cache: Any, idx: Any) -> None:
        # Only self-attention needs it: cross-attention K/V are identical across one segment's beams.
        if isinstance(cache, EncoderDecoderCache):
            cache.self_attention_cache.reorder_cache(idx)
        else:
            cache.reorder_cache(idx)

    # -- masking --------------------------------------------------------------------------------

    def _allowed(self, seg: _Segment, rows: _Rows, i: int, t: int) -> _Restriction:
        """Token restriction for row ``i``: ``(allowed or None, overrides bans, excluded)``.

        ``allowed`` None means every token except ``excluded`` (tokens that would break the
        invariant). Forced tokens are never needed to glue onto a word: right after a credited
        occurrence, every match in progress overlaps it (so finishing one is useless or forbidden)
        and the next useful token starts a new rendering (a word-initial ``▁`` piece) or is a filler,
        which ``allowed = None`` admits (the ``other_need`` case). So the continuation mask cannot
        empty a forced set; bans can, and then the required rendering wins.
        """
        left = seg.cap - t  # steps left, this one included
        if t == 0 and self.forced_bos is not None:
            return [self.forced_bos], False, []
        ac, unmet = rows.ac[i], rows.unmet[i]
        if left == 1:
            # Last slot: forced EOS (the invariant guarantees need == 0 here) unless min length forbids.
            return ([self.vocab.eos_id] if t + 1 >= self.min_new else None), False, []
        if seg.pos.worst(ac, unmet) > left - 2:
            sparse = seg.pos.sparse(ac, unmet)
            if seg.pos.other_need(unmet) <= left - 2:
                return None, False, [tok for tok, n2 in sparse if n2 > left - 2]
            return [tok for tok, n2 in sparse if n2 <= left - 2], True, []
        return None, False, []

    def _apply_masks(self, logprobs: torch.Tensor, rows: _Rows, segs: list[_Segment], t: int) -> None:
        """Mask ``logprobs`` in place for every live row (pad, bans, glue, EOS, forcing)."""
        ban_r: list[int] = []
        ban_c: list[int] = []
        glue_r: list[int] = []
        eos_r: list[int] = []
        restrict: list[tuple[int, list[int], bool]] = []
        for i in range(len(rows.live)):
            seg = segs[i // self.k]
            if not rows.live[i] or seg.done:
                continue
            allowed, wins, excluded = self._allowed(seg, rows, i, t)
            ids = [*seg.ban.banned_ids(rows.ban[i]), *seg.pos.blocked(rows.ac[i], rows.unmet[i]), *excluded]
            ban_r += [i] * len(ids)
            ban_c += ids
            if rows.glue[i]:
                glue_r.append(i)
            if t + 1 < self.min_new or seg.pos.need(rows.ac[i], rows.unmet[i]) > 0:
                eos_r.append(i)
            if allowed is not None:
                restrict.append((i, allowed, wins))
        orig = self._gather_restricted(logprobs, restrict)
        logprobs[:, self.vocab.pad_id] = NEG_INF
        dev = logprobs.device
        if ban_r:
            logprobs[torch.tensor(ban_r, device=dev), torch.tensor(ban_c, device=dev)] = NEG_INF
        if glue_r:
            g = torch.tensor(glue_r, device=dev)
            logprobs[g] = logprobs[g].masked_fill(self.vocab.continues_word.to(dev), NEG_INF)
        if eos_r:
            logprobs[torch.tensor(eos_r, device=dev), self.vocab.eos_id] = NEG_INF
        self._restrict(logprobs, restrict, orig)

    @staticmethod
    def _gather_restricted(
        logprobs: torch.Tensor, restrict: list[tuple[int, list[int], bool]]
    ) -> list[list[float]]:
        # Unmasked values, kept so that forced constraint tokens can override bans and glue.
        if not restrict:
            return []
        dev = logprobs.device
        r = torch.tensor([i for i, ids, _ in restrict for _ in ids], dtype=torch.long, device=dev)
        c = torch.tensor([j for _, ids, _ in restrict for j in ids], dtype=torch.long, device=dev)
        flat: list[float] = logprobs[r, c].tolist() if len(r) else []
        out, pos = [], 0
        for _, ids, _ in restrict:
            out.append(flat[pos : pos + len(ids)])
            pos += len(ids)
        return out

    @staticmethod
    def _restrict(
        logprobs: torch.Tensor, restrict: list[tuple[int, list[int], bool]], orig: list[list[float]]
    ) -> None:
        for (i, ids, wins), raw in zip(restrict, orig, strict=True):
            idx = torch.tensor(ids, dtype=torch.long, device=logprobs.device)
            vals = logprobs[i, idx] if ids else logprobs.new_empty(0)
            if wins and ids and bool(torch.isneginf(vals).all()):
                vals = torch.tensor(raw, dtype=logprobs.dtype, device=logprobs.device)
            logprobs[i] = NEG_INF
            if ids:
                logprobs[i, idx] = vals

    # -- selection ------------------------------------------------------------------------------

    def _select(
        self, scores: torch.Tensor, rows: _Rows, segs: list[_Segment], t: int
    ) -> tuple[list[int], list[int], list[float]]:
        """Pick the next beam for every segment; returns (source rows, tokens, scores)."""
        k, vsize = self.k, scores.shape[1]
        top_v, top_i = scores.view(len(segs), k * vsize).topk(min(2 * k, k * vsize), dim=1)
        best_v, best_i = scores.max(dim=1)
        top = list(zip(top_v.tolist(), top_i.tolist(), strict=True))
        best = list(zip(best_v.tolist(), best_i.tolist(), strict=True))
        extra = self._advancing(scores, rows, segs)
        src = list(range(len(rows.live)))
        toks = [self.vocab.pad_id] * len(src)
        new_scores = [NEG_INF] * len(src)
        new_rows = _Rows([], [], [], [], [], [])
        for b, seg in enumerate(segs):
            base = b * k
            if seg.done:
                self._keep(rows, new_rows, base)
                continue
            cands = self._gather(b, top[b], best[base : base + k], extra.get(b, []), seg, rows, t)
            chosen = self._allocate(cands, seg, rows)
            self._advance(chosen, seg, rows, new_rows, base, src, toks, new_scores)
            self._check_done(seg, new_rows, base, new_scores, t)
        for name in ("ac", "unmet", "ban", "glue", "seqs", "live"):
            setattr(rows, name, getattr(new_rows, name))
        return src, toks, new_scores

    def _advancing(self, scores: torch.Tensor, rows: _Rows, segs: list[_Segment]) -> dict[int, list[_Cand]]:
        """Scores of every token that lowers ``need`` for each live row (constraint candidates)."""
        r: list[int] = []
        c: list[int] = []
        for i in range(len(rows.live)):
            seg = segs[i // self.k]
            if not rows.live[i] or seg.done or not seg.pos.groups:
                continue
            n = seg.pos.need(rows.ac[i], rows.unmet[i])
            for tok, n2 in seg.pos.sparse(rows.ac[i], rows.unmet[i]):
                if n2 < n:
                    r.append(i)
                    c.append(tok)
        out: dict[int, list[_Cand]] = {}
        if r:
            dev = scores.device
            vals = scores[torch.tensor(r, device=dev), torch.tensor(c, device=dev)].tolist()
            for i, tok, v in zip(r, c, vals, strict=True):
                out.setdefault(i // self.k, []).append(_Cand(v, i, tok))
        return out

    def _gather(
        self,
        b: int,
        top: tuple[list[float], list[int]],
        best: list[tuple[float, int]],
        extra: list[_Cand],
        seg: _Segment,
        rows: _Rows,
        t: int,
    ) -> list[_Cand]:
        """Merge candidate sources of segment ``b``; EOS candidates go to ``seg.finished``."""
        k, vsize, base = self.k, self.vocab.size, b * self.k
        raw = [_Cand(v, base + idx // vsize, idx % vsize) for v, idx in zip(*top, strict=True)]
        eos_ok = {c.row for c in raw[:k] if c.tok == self.vocab.eos_id}
        eos_ok |= {base + j for j, (_, tok) in enumerate(best) if tok == self.vocab.eos_id}
        raw += [_Cand(v, base + j, tok) for j, (v, tok) in enumerate(best)] + extra
        seen: set[tuple[int, int]] = set()
        cands: list[_Cand] = []
        for c in sorted(raw, key=lambda c: -c.score):
            if c.score == NEG_INF or (c.row, c.tok) in seen:
                continue
            seen.add((c.row, c.tok))
            if c.tok == self.vocab.eos_id:
                if c.row in eos_ok:
                    self._finish(seg, c.score, rows.seqs[c.row] + [c.tok])
                continue
            cands.append(c)
        return cands

    def _allocate(self, cands: list[_Cand], seg: _Segment, rows: _Rows) -> list[_Cand]:
        """Dynamic beam allocation: best candidate first, then round-robin over progress banks."""
        if not cands:
            return []
        banks: dict[int, list[_Cand]] = {}
        for c in cands[1:]:
            ac, unmet, _ = seg.pos.step(rows.ac[c.row], rows.unmet[c.row], c.tok)
            banks.setdefault(seg.total - seg.pos.need(ac, unmet), []).append(c)
        chosen = [cands[0]]
        queues = [banks[p] for p in sorted(banks, reverse=True)]
        depth = 0
        while len(chosen) < self.k and any(depth < len(q) for q in queues):
            for q in queues:
                if depth < len(q) and len(chosen) < self.k:
                    chosen.append(q[depth])
            depth += 1
        chosen.sort(key=lambda c: -c.score)
        return chosen

    def _advance(
        self,
        chosen: list[_Cand],
        seg: _Segment,
        rows: _Rows,
        new_rows: _Rows,
        base: int,
        src: list[int],
        toks: list[int],
        new_scores: list[float],
    ) -> None:
        for j in range(self.k):
            c = chosen[j] if j < len(chosen) else None
            parent = c.row if c is not None else base
            ac, unmet, glue = (
                seg.pos.step(rows.ac[parent], rows.unmet[parent], c.tok) if c else (0, (), False)
            )
            new_rows.ac.append(ac)
            new_rows.unmet.append(unmet if c else rows.unmet[parent])
            new_rows.ban.append(seg.ban.step(rows.ban[parent], c.tok) if c else 0)
            new_rows.glue.append(glue)
            new_rows.seqs.append(rows.seqs[parent] + [c.tok] if c else [])
            new_rows.live.append(c is not None)
            src[base + j] = parent
            toks[base + j] = c.tok if c else self.vocab.pad_id
            new_scores[base + j] = c.score if c else NEG_INF

    def _keep(self, rows: _Rows, new_rows: _Rows, base: int) -> None:
        for j in range(base, base + self.k):
            for name in ("ac", "unmet", "ban", "glue", "seqs", "live"):
                getattr(new_rows, name).append(getattr(rows, name)[j])

    def _finish(self, seg: _Segment, score: float, seq: list[int]) -> None:
        seg.finished.append((score / (len(seq) ** self.length_penalty), seq))
        seg.finished.sort(key=lambda f: -f[0])
        del seg.finished[self.k :]

    def _check_done(self, seg: _Segment, new_rows: _Rows, base: int, new_scores: list[float], t: int) -> None:
        live = [base + j for j in range(self.k) if new_rows.live[base + j]]
        if t + 1 >= seg.cap:
            # Cap reached without EOS (only when min_new_tokens forbade it): keep them as they are.
            for i in live:
                if seg.pos.need(new_rows.ac[i], new_rows.unmet[i]) == 0:
                    self._finish(seg, new_scores[i], new_rows.seqs[i])
            seg.done = True
        elif not live:
            seg.done = True
        elif len(seg.finished) >= self.k:
            best = max(new_scores[i] for i in live) / ((t + 1) ** self.length_penalty)
            seg.done = best <= seg.finished[-1][0]
        if seg.done:
            for j in range(self.k):
                new_rows.live[base + j] = False
                new_scores[base + j] = NEG_INF
