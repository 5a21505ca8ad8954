using GreenTrain.Benchmarks.Checkpoints;

// dotnet run -c Release --project tests/GreenTrain.Benchmarks -- checkpoints [--size-mb 100] [--runs 3] [--stores redis,garnet] [--output FILE]
return args.FirstOrDefault() switch
{
    "checkpoints" => await CheckpointBenchmark.RunAsync(BenchmarkArguments.Parse(args.Skip(1).ToArray())),
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
        """);
    return 2;
}
