using GreenTrain.Benchmarks.Checkpoints;
using GreenTrain.Benchmarks.CrossDevice;
using GreenTrain.Benchmarks.Methods;
using GreenTrain.Benchmarks.Resume;

// dotnet run -c Release --project tests/GreenTrain.Benchmarks -- checkpoints [--size-mb 100] [--runs 3] [--stores redis,garnet] [--output FILE]
// dotnet run -c Release --project tests/GreenTrain.Benchmarks -- cross-device [--libtorch DIR] [--steps-per-leg 100] [--output FILE]   (GPU machine)
// dotnet run -c Release --project tests/GreenTrain.Benchmarks -- resume [--model mlp|gpt] [--text PATH] [--size-mb 100] [--device cpu|cuda] [--libtorch DIR] [--store CONN] [--steps 12] [--checkpoint-every 4] [--output FILE]
// dotnet run -c Release --project tests/GreenTrain.Benchmarks -- methods [--device cpu|cuda] [--libtorch DIR] [--cnn-steps 300] [--gpt-steps 200] [--workloads cnn,gpt] [--output FILE]
return args.FirstOrDefault() switch
{
    "methods" => await MethodsBenchmark.RunAsync(MethodsArguments.Parse(args.Skip(1).ToArray())),
    "checkpoints" => await CheckpointBenchmark.RunAsync(BenchmarkArguments.Parse(args.Skip(1).ToArray())),
    "resume" => await ResumeBenchmark.RunAsync(ResumeArguments.Parse(args.Skip(1).ToArray())),
    "cross-device" => await CrossDeviceCheck.RunAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: GreenTrain.Benchmarks checkpoints [options]
          --size-mb N        checkpoint size in MiB (default 100)
          --runs N           measured save+restore rounds per store, after one warm-up (default 3)
          --stores LIST      comma-separated: redis, garnet, or a connection string such as host:6379 (default redis,garnet)
          --output FILE      results file (JSON; default artifacts/benchmarks/checkpoints.json)
        usage: GreenTrain.Benchmarks resume [options]
          --model M            mlp (an MLP of --size-mb) or gpt (the throughput benchmark's GPT on --text PATH)
          --size-mb N          model parameters in MiB (default 100)
          --device D           cpu or cuda (default cpu); --libtorch DIR for an external CUDA LibTorch
          --store CONN         a store connection string (default: a redis-server started for the run)
          --steps N            training steps timed for the overhead (default 12); --checkpoint-every N (default 4)
          --output FILE        results file (JSON; default artifacts/benchmarks/resume.json)
        usage: GreenTrain.Benchmarks methods [options]    (dense vs 50/80/90 % pruning, 2:4, QAT int8, post-training int8)
          --device D           cpu or cuda (default cpu); --libtorch DIR for an external CUDA LibTorch
          --fashion DIR        Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist)
          --text PATH          the GPT's corpus (default /usr/share/games/fortunes)
          --cnn-steps N        steps per CNN run (default 300); --gpt-steps N per GPT run (default 200)
          --workloads LIST     cnn, gpt or cnn,gpt (default)
          --output FILE        results file (JSON; default artifacts/benchmarks/methods.json)
        usage: GreenTrain.Benchmarks cross-device [options]     (needs CUDA; exits 1 if a restore is not exact)
          --libtorch DIR       the external CUDA LibTorch (default: found from python3's torch)
          --steps-per-leg N    steps on CPU, then CUDA, then CPU again (default 100)
          --device cpu         a dry run with every leg on CPU (checks the check without a GPU)
          --output FILE        results file (JSON; default artifacts/benchmarks/cross-device.json)
        """);
    return 2;
}
