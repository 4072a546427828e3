#!/usr/bin/env python3
"""Issue 15's target table from one `bench/run.sh --targets` run.

usage: targets.py RESULTS.jsonl REPLAY-RESULTS.jsonl
"""
import json
import sys


def rows(path):
    try:
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip().startswith("{")]
    except FileNotFoundError:
        return []


results = rows(sys.argv[1])
replay = rows(sys.argv[2]) if len(sys.argv) > 2 else []


def load(label):
    found = [r for r in results if r.get("type") == "load" and r.get("label") == label]
    return found[-1] if found else None


def cpu_us_per_reading(label):
    r = load(label)
    c = [x for x in results if x.get("type") == "cpu" and x.get("label") == label]
    if not r or not c or not r.get("acked_readings_total"):
        return None
    return c[-1]["cpu_s"] * 1e6 / r["acked_readings_total"]


def after(label):
    found = [r for r in results if r.get("type") == "after" and r.get("label") == label]
    return found[-1] if found else None


def verdict(ok):
    return "n/a" if ok is None else ("met" if ok else "**missed**")


table = []
ceiling = next((r["events_per_s"] for r in results if r.get("type") == "ceiling"), None)
batch = load("batch")
if batch and ceiling:
    share = 100.0 * batch["acked_readings_per_s"] / ceiling
    caught = (after("batch") or {}).get("catch_up_s")
    table.append((
        "batch: acknowledged readings/s as a share of the journal ceiling; caught up after",
        f"{batch['acked_readings_per_s']:,.0f} of {ceiling:,} = {share:.1f}%; caught up {caught} s",
        ">= 25% (aim 50%), <= 2 s",
        verdict(share >= 25 and caught is not None and caught <= 2)))
us = cpu_us_per_reading("batch")
table.append(("node CPU per acknowledged reading, batch shape",
              "n/a" if us is None else f"{us:,.1f} us", "<= 40 us",
              verdict(None if us is None else us <= 40)))
single = load("single")
us_single = cpu_us_per_reading("single")
if single:
    table.append((
        "single-reading POSTs, 64 connections: acknowledged/s, node CPU per request",
        f"{single['acked_readings_per_s']:,.0f}/s, "
        + ("n/a" if us_single is None else f"{us_single:,.0f} us"),
        ">= 6,000/s, <= 100 us",
        verdict(single["acked_readings_per_s"] >= 6000
                and us_single is not None and us_single <= 100)))
fm = [r for r in results if r.get("type") == "find-max"]
half = load("half-max")
if half:
    p99 = half["ack_latency_ms"]["p99"]
    mx = fm[-1].get("max_readings_per_s") if fm else None
    table.append(("p99 at half of the maximum sustainable batch rate",
                  f"max {mx:,.0f} readings/s; at {half['offered_readings_per_s']:,.0f}: p99 {p99:,.1f} ms"
                  if mx else f"p99 {p99:,.1f} ms", "<= 50 ms", verdict(p99 <= 50)))
else:
    table.append(("p99 at half of the maximum sustainable batch rate",
                  "no sustainable rate found", "<= 50 ms", verdict(False)))
single_models = [r for r in replay if r.get("model") != "all-together"]
together = [r for r in replay if r.get("model") == "all-together"]
if single_models:
    each = ", ".join(f"{r['model']} {r['eventsPerSecond']:,.0f}" for r in single_models)
    table.append(("replay (rebuild) of each read model, events/s", each, ">= 50,000 each",
                  verdict(all(r["eventsPerSecond"] >= 50000 for r in single_models))))
if together:
    t = together[-1]
    table.append(("all rebuilt together in one pass, journal events/s",
                  f"{t['eventsPerSecond']:,.0f} ({t['journalEvents']:,} events in {t['appliedSeconds']:.1f} s)",
                  ">= 50,000 events/s", verdict(t["eventsPerSecond"] >= 50000)))
cold = load("cold")
if cold and batch:
    share = 100.0 * cold["acked_readings_per_s"] / max(1, batch["acked_readings_per_s"])
    table.append((
        "fresh node on the journal of 10,000 sensors, 30 s from /ready, no warm-up",
        f"{cold['acked_readings_per_s']:,.0f} readings/s = {share:.0f}% of the warm rate; "
        f"ack p50 {cold['ack_latency_ms']['p50']:,.0f} ms; statuses {cold.get('status_counts')}",
        ">= 50% of the warm rate within 30 s",
        verdict(share >= 50)))
big = [r for r in results if r.get("type") == "big-batch"]
if big:
    table.append(("one 10,000-item batch over 5,000 new sensors to an idle node",
                  f"HTTP {big[-1]['status']} after {big[-1]['seconds']:.1f} s", "202 in one request",
                  verdict(big[-1]["status"] == 202)))

print("| target row (issue 15) | measured | target | status |")
print("|---|---|---|---|")
for row in table:
    print("| " + " | ".join(str(x) for x in row) + " |")
