"""Who tweets what, when: originals, retweet bursts, copy-paste waves, reactions and noise.

A tweet is a row index into parallel arrays. Its ``ref`` is the tweet it retweets, replies to
or quotes: a row index (>= 0) or an outside tweet ``-index - 1``; its ``code`` picks its
content from its author's group (see ``content``).
"""

from __future__ import annotations

import random
from array import array

from infoops.synthetic.config import SynthConfig, planted_rows
from infoops.synthetic.content import INJECTION_STRINGS, Groups
from infoops.synthetic.externals import Externals
from infoops.synthetic.ids import SnowflakeIds
from infoops.synthetic.kinds import ORIG, QUOTE, REPLY, RT
from infoops.synthetic.planted import PlantedCoordination, plant_coordination
from infoops.synthetic.population import Population
from infoops.synthetic.timeline import Timeline

__all__ = ["Activity"]


class Activity:
    """Every released tweet (one entry per row in each array) and what was planted in them."""

    def __init__(
        self,
        config: SynthConfig,
        rng: random.Random,
        timeline: Timeline,
        population: Population,
        externals: Externals,
        groups: Groups,
        ids: SnowflakeIds,
    ) -> None:
        self.cfg = config
        self.rng = rng
        self.timeline = timeline
        self.pop = population
        self.ext = externals
        self.groups = groups
        self.ids = ids
        self.tid = array("q")
        self.author = array("i")
        self.t = array("q")
        self.kind = array("b")
        self.ref = array("q")
        self.code = array("q")
        self.core_originals: list[int] = []
        self.core_originals_by_cluster: list[list[int]] = []
        self.organic_originals: list[int] = []
        self.injections: dict[int, str] = {}  # row -> markup appended to its text
        self.empty_rt: set[int] = set()  # retweets written without retweet_userid
        self.planted = PlantedCoordination()
        self.bursts = 0
        self.burst_rows = 0
        self.copypasta_rows = 0

    def add(self, a: int, t: int, kind: int, ref: int, code: int) -> int:
        """A new row: account ``a`` posts at ``t``; returns the row index."""
        self.tid.append(self.ids.new(t))
        self.author.append(a)
        self.t.append(t)
        self.kind.append(kind)
        self.ref.append(ref)
        self.code.append(code)
        return len(self.tid) - 1

    # time ---------------------------------------------------------------------------------
    def office_time(self, a: int) -> int:
        return self.timeline.office_time(self.rng, self.pop.day_lo[a])

    def any_time(self, a: int) -> int:
        return self.timeline.any_time(self.rng, self.pop.first_day[a])

    def after(self, a: int, target_t: int, office: bool = True) -> int | None:
        """A time for account ``a`` to react to a tweet posted at ``target_t``, or None."""
        for _ in range(3):
            t = self.office_time(a) if office else self.any_time(a)
            if t > target_t + 30:
                return t
        t = max(target_t + 60 + int(self.rng.expovariate(1 / 7200)), self.pop.created_s[a] + 3600)
        return t if t <= self.timeline.end_s else None

    def target_time(self, ref: int) -> int:
        return self.t[ref] if ref >= 0 else self.ext.t[-ref - 1]

    # build ----------------------------------------------------------------------------------
    def build(self) -> None:
        """All ``config.tweets`` rows, then the quirks some rows carry."""
        self._build_tweets()
        self._pick_quirks()

    def _build_tweets(self) -> None:
        cfg, rng, pop = self.cfg, self.rng, self.pop
        total = cfg.tweets
        n_org_rows = max(round(total * 0.05), 8)
        n_core_rows = round(total * 0.35)
        n_amp_rows = total - n_org_rows - n_core_rows - planted_rows(cfg)
        self.core_originals_by_cluster = [[] for _ in range(cfg.clusters)]
        n_core_orig = max(cfg.clusters * 2, round(n_core_rows * 0.55))
        # prolific and quiet core accounts
        weighted: list[int] = []
        for c in range(cfg.clusters):
            for a in pop.core_by_cluster[c]:
                weighted.extend([a] * rng.choice((1, 1, 2, 4, 8)))
        for i in range(n_core_orig):
            a = pop.core_by_cluster[i][0] if i < cfg.clusters else rng.choice(weighted)
            self._add_core_original(a)
        n_rt = round(n_core_rows * 0.30)
        n_reply = round(n_core_rows * 0.08)
        n_quote = max(0, n_core_rows - n_core_orig - n_rt - n_reply)
        self._core_reactions(weighted, RT, n_rt)
        self._core_reactions(weighted, REPLY, n_reply)
        self._core_reactions(weighted, QUOTE, n_quote)
        self._amplifier_rows(n_amp_rows)
        self._organic_rows(n_org_rows)
        if cfg.planted_groups:
            self.planted = plant_coordination(self)
        while len(self.tid) < total:  # top up what failed (times past the window end)
            self._add_core_original(rng.choice(weighted))

    def _add_core_original(self, a: int) -> None:
        rng = self.rng
        c = self.pop.cluster[a]
        if rng.random() < 0.12:
            code = -rng.randrange(self.groups.copypasta_count(c)) - 1
            self.copypasta_rows += 1
        else:
            code = rng.getrandbits(48)
        i = self.add(a, self.office_time(a), ORIG, 0, code)
        self.core_originals.append(i)
        self.core_originals_by_cluster[c].append(i)

    def _core_reactions(self, weighted: list[int], kind: int, n: int) -> None:
        rng, noise = self.rng, self.cfg.noise
        by_cluster = self.core_originals_by_cluster
        made = attempts = 0
        while made < n and attempts < 4 * n + 10:
            attempts += 1
            a = rng.choice(weighted)
            r = rng.random()
            if noise and rng.random() < noise:
                ref = self._stray_ref(a)
            elif r < 0.8:
                ref = rng.choice(by_cluster[self.pop.cluster[a]])
            elif r < 0.85:
                ref = rng.choice(self.core_originals)
            else:
                ref = self.ext.random_state_tweet()
            if ref >= 0 and self.author[ref] == a:
                continue
            t = self.after(a, self.target_time(ref))
            if t is None:
                continue
            self.add(a, t, kind, ref, rng.getrandbits(32))
            made += 1

    def _amplifier_rows(self, n: int) -> None:
        rng, end, pop, noise = self.rng, self.timeline.end_s, self.pop, self.cfg.noise
        made = attempts = 0
        clusters = self.cfg.clusters
        while made < n and attempts < 4 * n + 10:
            attempts += 1
            r = rng.random()
            if r < 0.80:  # a squad retweets one tweet in a burst
                if rng.random() < 0.75:
                    ref = rng.choice(self.core_originals)
                    c = pop.cluster[self.author[ref]]
                else:
                    ref = self.ext.random_state_tweet()
                    c = rng.randrange(clusters)
                sq = rng.choice(pop.squads_by_cluster[c])
                tt = self.target_time(ref)
                t0 = tt + 20 + int(rng.expovariate(1 / 900))
                if pop.squad_ready[sq] > t0:
                    t0 = pop.squad_ready[sq] + rng.randrange(3600, 86400)
                if t0 > end - 300:
                    continue
                members = pop.squads[sq]
                k = min(max(3, len(members) - rng.randrange(3)), len(members), n - made)
                spread = 50 if rng.random() < 0.85 else 240
                for a in rng.sample(members, k):
                    if noise and rng.random() < noise and self._add_stray(a):
                        continue
                    self.add(a, t0 + rng.randrange(spread), RT, ref, 0)
                    self.burst_rows += 1
                made += k
                self.bursts += 1
            elif r < 0.86:  # copy-paste wave: a squad posts the same text within minutes
                c = rng.randrange(clusters)
                sq = rng.choice(pop.squads_by_cluster[c])
                members = pop.squads[sq]
                t0 = max(self.office_time(members[0]), pop.squad_ready[sq] + 3600)
                if t0 > end - 900:
                    continue
                code = -rng.randrange(self.groups.copypasta_count(c)) - 1
                k = min(len(members), n - made)
                for a in rng.sample(members, k):
                    self.add(a, t0 + rng.randrange(600), ORIG, 0, code)
                made += k
                self.copypasta_rows += k
            else:  # lone retweets (noise), replies and quotes
                c = rng.randrange(clusters)
                a = rng.choice(pop.squads[rng.choice(pop.squads_by_cluster[c])])
                pool = self.core_originals_by_cluster[c]
                ref = rng.choice(pool) if rng.random() < 0.8 else self.ext.random_state_tweet()
                if noise and rng.random() < noise:
                    ref = self._stray_ref(a)
                t = self.after(a, self.target_time(ref), office=False)
                if t is None:
                    continue
                kind = RT if r < 0.94 else (REPLY if r < 0.98 else QUOTE)
                self.add(a, t, kind, ref, rng.getrandbits(32))
                made += 1

    def _stray_ref(self, a: int) -> int:
        """Noise: a released core tweet from a cluster other than ``a``'s."""
        rng = self.rng
        if self.cfg.clusters < 2:
            return self.ext.random_state_tweet()
        c = self.pop.cluster[a]
        while True:  # in proportion to the clusters' output, as a random reader would
            ref = rng.choice(self.core_originals)
            if self.pop.cluster[self.author[ref]] != c:
                return ref

    def _add_stray(self, a: int) -> bool:
        """Noise: amplifier ``a`` reacts on its own to another cluster's tweet (or cannot)."""
        ref = self._stray_ref(a)
        t = self.after(a, self.target_time(ref), office=False)
        if t is None:
            return False
        kind = RT if self.rng.random() < 0.85 else REPLY
        self.add(a, t, kind, ref, self.rng.getrandbits(32))
        return True

    def _organic_rows(self, n: int) -> None:
        rng, pop = self.rng, self.pop
        n_orig = max(4, round(n * 0.85))
        for _ in range(n_orig):
            a = rng.choice(pop.organic)
            self.organic_originals.append(
                self.add(a, self.any_time(a), ORIG, 0, rng.getrandbits(48))
            )
        made = attempts = 0
        while made < n - n_orig and attempts < 40 * n:
            attempts += 1
            a = rng.choice(pop.organic)
            if rng.random() < 0.6:
                ref = rng.choice(self.organic_originals)
                kind = REPLY
                if self.author[ref] == a:
                    continue
            else:
                ref, kind = self.ext.random_other_tweet(), RT
            t = self.after(a, self.target_time(ref), office=False)
            if t is None:
                continue
            self.add(a, t, kind, ref, rng.getrandbits(32))
            made += 1
        # nobody retweets organic tweets, so the markup only appears in these rows
        picks = rng.sample(self.organic_originals, 4)
        for j, i in enumerate(picks):
            self.injections[i] = INJECTION_STRINGS[j % 2]

    def _pick_quirks(self) -> None:
        retweets = [i for i, k in enumerate(self.kind) if k == RT]
        if retweets:
            k = max(1, round(len(retweets) * 0.005))
            self.empty_rt = set(self.rng.sample(retweets, k))

    # reading ------------------------------------------------------------------------------
    def target_userid(self, ref: int) -> str:
        """The userid of the author of tweet reference ``ref`` (released or outside)."""
        if ref >= 0:
            return self.pop.userid[self.author[ref]]
        return self.ext.userid[self.ext.author[-ref - 1]]
