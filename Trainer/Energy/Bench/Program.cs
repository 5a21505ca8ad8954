using GreenTrain.Trainer.Energy.Bench;

// dotnet run --project Trainer/Energy/Bench -c Release -- overhead [--steps 400] [--size 160] [--out DIR] [--simulate-gpu-read-ms 3]
// dotnet run --project Trainer/Energy/Bench -c Release -- gpu-check [--windows 6] [--seconds 10] [--out DIR]
var command = args.FirstOrDefault() ?? "overhead";
var options = BenchArguments.Parse(args.Skip(1).ToArray());
return command switch
{
    "overhead" => OverheadBenchmark.Run(options),
    "gpu-check" => GpuCheck.Run(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: GreenTrain.Energy.Bench overhead|gpu-check [--steps N] [--size N] [--windows N] [--seconds S] [--out DIR] [--simulate-gpu-read-ms MS]");
    return 2;
}
