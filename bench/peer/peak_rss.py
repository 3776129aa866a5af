"""Peak resident set size of this process, KB, shared by the benchmark peers.

VmHWM is this process's own high-water mark; ru_maxrss also carries the parent's RSS at fork across exec
on Linux (the same measure as bench/worker-io.ts peakRssKb on our side).
"""
import resource


def peak_rss_kb() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
