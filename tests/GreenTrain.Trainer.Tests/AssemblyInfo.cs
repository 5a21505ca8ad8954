// LibTorch's random generator and thread count are process-wide: tests that seed and train must not
// interleave, or "the same seed gives the same run" stops being true.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
