"""`make mutation`'s verdict: the mutation score, and which survivors mutation/SURVIVORS.md does not explain.

Reads mutmut's summary (mutants/mutmut-cicd-stats.json, written by `mutmut export-cicd-stats`) and, on standard
input, `mutmut results` (one "name: status" line per mutant that was not killed). Exits 1 below the threshold or
when a survivor is not explained.
"""

import json
import sys
from pathlib import Path

THRESHOLD = 90.0
ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    stats = json.loads((ROOT / "mutants" / "mutmut-cicd-stats.json").read_text())
    # The same score as mutmut's badge: a mutant that makes the tests hang (timeout) is detected too.
    tested = stats["total"] - stats["skipped"]
    score = 100 * (stats["killed"] + stats["timeout"]) / tested
    survivors = [line.split(":")[0].strip() for line in sys.stdin if line.strip().endswith(": survived")]
    explained = (ROOT / "mutation" / "SURVIVORS.md").read_text()
    unexplained = [name for name in survivors if f"`{name}`" not in explained]
    print(f"Mutation score {score:.1f} % ({stats['killed']} killed + {stats['timeout']} timed out of {tested};"
          f" {len(survivors)} survived, {len(unexplained)} of them not explained in mutation/SURVIVORS.md)")
    for name in unexplained:
        print(f"  not explained: {name}")
    if score < THRESHOLD:
        print(f"Below {THRESHOLD:.0f} %: kill the survivors with tests, or explain why one is equivalent.")
        return 1
    if unexplained:
        print("Kill each survivor not explained with a test, or explain in mutation/SURVIVORS.md why it is equivalent.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
