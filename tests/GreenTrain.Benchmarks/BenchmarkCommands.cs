using System.CommandLine;
using GreenTrain.Benchmarks.Checkpoints;
using GreenTrain.Benchmarks.CrossDevice;
using GreenTrain.Benchmarks.Methods;
using GreenTrain.Benchmarks.Distill;
using GreenTrain.Benchmarks.Moe;
using GreenTrain.Benchmarks.Dedup;
using GreenTrain.Benchmarks.Resume;
using GreenTrain.Benchmarks.Sweeps;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Benchmarks;

/// <summary>The benchmark program's verbs: `checkpoints`, `resume`, `cross-device`, `dedup`, `methods`, `sweeps`, `distill` and `moe`, each with its own options.</summary>
public static class BenchmarkCommands
{
    public static RootCommand Create() => new("GreenTrain's store, resume and training-method benchmarks; each writes a JSON results file.")
    {
        Checkpoints(), Resume(), CrossDevice(), DedupBenchmarkCommand.Create(), Methods(), Sweeps(), DistillCommand.Create(), Moe(),
    };

    private static Command Sweeps()
    {
        var workloads = new Option<string>("--workloads") { Description = "digits, cnn or digits,cnn", HelpName = "LIST", DefaultValueFactory = _ => "digits,cnn" };
        workloads.AcceptOnlyFromAmong("digits", "cnn", "digits,cnn", "cnn,digits");
        var seeds = CliOptions.Int("--seeds", "seeds of each adaptive search (the grid runs once)", 3);
        var digitsSteps = CliOptions.Int("--digits-steps", "optimizer steps of a full digits trial (the first rung is 1/27 of it)", 270, min: 27);
        var cnnSteps = CliOptions.Int("--cnn-steps", "optimizer steps of a full Fashion-MNIST CNN trial", 270, min: 27);
        var threads = CliOptions.Int("--threads", "LibTorch CPU threads", 1);
        var device = CliOptions.Device(DeviceRequest.Cpu);
        var libTorch = LibTorch();
        var rungEvalBatches = CliOptions.OptionalInt("--rung-eval-batches",
            "score intermediate rungs on the first N validation batches (the grid and full-resource segments keep the workload's own)", 1,
            GreenTrain.ServiceDefaults.Contracts.SpecLimits.MaxEvalBatches);
        var fashion = new Option<string>("--fashion") { Description = "Fashion-MNIST IDX files (Debian's dataset-fashion-mnist)", HelpName = "DIR", DefaultValueFactory = _ => "/usr/share/datasets/fashion-mnist" };
        var intensity = CliOptions.Number("--intensity", "grid intensity for the reports' emissions, g CO2eq/kWh", 442, 0);
        var reports = new Option<string?>("--reports") { Description = "folder for each search's sweep report", HelpName = "DIR" };
        var verbose = new Option<bool>("--verbose") { Description = "print every trial segment" };
        var output = Output("sweeps.json");
        var command = new Command("sweeps", "Grid search beside successive halving, ASHA and Hyperband over 27 configurations: accuracy and energy.")
        {
            workloads, seeds, digitsSteps, cnnSteps, threads, device, libTorch, rungEvalBatches, fashion, intensity, reports, verbose, output,
        };
        command.SetAction((p, _) => SweepBenchmark.RunAsync(new SweepBenchmarkArguments(p.GetValue(workloads)!.Split(','), p.GetValue(seeds), p.GetValue(digitsSteps),
            p.GetValue(cnnSteps), p.GetValue(threads), p.GetValue(fashion)!, p.GetValue(intensity), p.GetValue(output)!, p.GetValue(reports), p.GetValue(verbose), p.GetValue(device), p.GetValue(libTorch), p.GetValue(rungEvalBatches))));
        return command;
    }

    private static Command Checkpoints()
    {
        var size = CliOptions.Int("--size-mb", "checkpoint size in MiB", 100);
        var runs = CliOptions.Int("--runs", "measured save+restore rounds per store, after one warm-up", 3);
        var stores = new Option<string>("--stores") { Description = "comma-separated: redis, garnet, or a connection string such as host:6379", HelpName = "LIST", DefaultValueFactory = _ => "redis,garnet" };
        var output = Output("checkpoints.json");
        var command = new Command("checkpoints", "Time checkpoint save and restore through each store.") { size, runs, stores, output };
        command.SetAction((p, _) => CheckpointBenchmark.RunAsync(new BenchmarkArguments(p.GetValue(size), p.GetValue(runs),
            p.GetValue(stores)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), p.GetValue(output)!)));
        return command;
    }

    private static Command Resume()
    {
        var model = new Option<string>("--model") { Description = "mlp (an MLP of --size-mb) or gpt (the throughput benchmark's GPT on --text)", DefaultValueFactory = _ => "mlp" };
        model.AcceptOnlyFromAmong("mlp", "gpt");
        var text = new Option<string>("--text") { Description = "text corpus for --model gpt", HelpName = "PATH", DefaultValueFactory = _ => "/usr/share/games/fortunes" };
        var size = CliOptions.Int("--size-mb", "model parameters in MiB", 100);
        var device = CliOptions.Device(DeviceRequest.Cpu);
        var libTorch = LibTorch();
        var store = new Option<string?>("--store") { Description = "a store connection string (default: a redis-server started for the run)", HelpName = "CONN" };
        var steps = CliOptions.Int("--steps", "steps timed for the overhead", 12);
        var every = CliOptions.Int("--checkpoint-every", "steps between checkpoints", 4);
        var output = Output("resume.json");
        var command = new Command("resume", "Measure checkpoint overhead and the time to resume a killed worker.") { model, text, size, device, libTorch, store, steps, every, output };
        command.SetAction((p, _) => ResumeBenchmark.RunAsync(new ResumeArguments(p.GetValue(size), p.GetValue(device), p.GetValue(libTorch), p.GetValue(store),
            p.GetValue(steps), p.GetValue(every), p.GetValue(output)!, p.GetValue(model)!, p.GetValue(text)!)));
        return command;
    }

    private static Command CrossDevice()
    {
        var libTorch = LibTorch();
        var steps = CliOptions.Int("--steps-per-leg", "steps on CPU, then CUDA, then CPU again", 100);
        // --device cpu runs all three legs on CPU: a dry run of the check itself on a machine without a GPU.
        var device = CliOptions.Device(DeviceRequest.Cuda, "the GPU leg's device: cuda or cuda:N; cpu is a dry run with every leg on CPU");
        var output = Output("cross-device.json");
        var command = new Command("cross-device", "Train CPU, then CUDA, then CPU from each other's checkpoints and check every restore is exact (exits 1 if not).")
        {
            libTorch, steps, device, output,
        };
        command.SetAction((p, _) => CrossDeviceCheck.RunAsync(p.GetValue(device), p.GetValue(libTorch), p.GetValue(steps), p.GetValue(output)!));
        return command;
    }

    private static Command Methods()
    {
        var device = CliOptions.Device(DeviceRequest.Cpu);
        var libTorch = LibTorch();
        var fashion = new Option<string>("--fashion") { Description = "Fashion-MNIST IDX files (Debian's dataset-fashion-mnist)", HelpName = "DIR", DefaultValueFactory = _ => "/usr/share/datasets/fashion-mnist" };
        var text = new Option<string>("--text") { Description = "the GPT's corpus (Debian's fortunes)", HelpName = "PATH", DefaultValueFactory = _ => "/usr/share/games/fortunes" };
        var cnnSteps = CliOptions.Int("--cnn-steps", "optimizer steps of each CNN run", 300, min: 50);
        var cnnWidth = CliOptions.Int("--cnn-width", "channels of the CNN's first stage (the second has twice as many)", 16, min: 4);
        var gptSteps = CliOptions.Int("--gpt-steps", "optimizer steps of each GPT run", 200, min: 50);
        var gptWidth = CliOptions.Int("--gpt-width", "the GPT's embedding width (a multiple of its 4 heads)", 96, min: 8);
        var gptDepth = CliOptions.Int("--gpt-depth", "the GPT's blocks", 2, min: 1);
        var workloads = new Option<string>("--workloads") { Description = "cnn, gpt or cnn,gpt", HelpName = "LIST", DefaultValueFactory = _ => "cnn,gpt" };
        workloads.AcceptOnlyFromAmong("cnn", "gpt", "cnn,gpt", "gpt,cnn");
        var variants = new Option<string>("--variants") { Description = "which of dense,u50,u80,u90,u80-layer,u80-first-dense,2:4,qat,qat-freeze,qat4,qat3 (dense always runs: it is the baseline)", HelpName = "LIST", DefaultValueFactory = _ => "dense,u50,u80,u90,2:4,qat" };
        var seed = CliOptions.Int("--seed", "the first seed (initial weights and data order)", MethodVariants.DefaultSeed, min: 0);
        var seeds = CliOptions.Int("--seeds", "seeds to repeat every run with (--seed, --seed + 1, ...), each beside its own dense run; above 1 adds mean and spread per variant", 1);
        var precision = new Option<PrecisionKind>("--precision") { Description = "compute precision of every run, the dense baseline's too (fp32, bf16, fp16)", DefaultValueFactory = _ => PrecisionKind.Fp32 };
        var output = Output("methods.json");
        var command = new Command("methods", "Train dense and with 50/80/90 % pruning, 2:4, QAT int8 (and post-training int8) side by side.")
        {
            device, libTorch, fashion, text, cnnSteps, cnnWidth, gptSteps, gptWidth, gptDepth, workloads, variants, seed, seeds, precision, output,
        };
        command.SetAction((p, _) => MethodsBenchmark.RunAsync(new MethodsArguments(p.GetValue(device), p.GetValue(libTorch), p.GetValue(fashion)!,
            p.GetValue(text)!, p.GetValue(cnnSteps), p.GetValue(gptSteps), p.GetValue(workloads)!, p.GetValue(output)!, p.GetValue(variants)!, p.GetValue(cnnWidth),
            p.GetValue(seed), p.GetValue(seeds), p.GetValue(gptWidth), p.GetValue(gptDepth), p.GetValue(precision))));
        return command;
    }

    private static Command Moe()
    {
        var device = CliOptions.Device(DeviceRequest.Cpu);
        var libTorch = LibTorch();
        var text = new Option<string>("--text") { Description = "the GPT's corpus (Debian's fortunes)", HelpName = "PATH", DefaultValueFactory = _ => "/usr/share/games/fortunes" };
        var steps = CliOptions.Int("--steps", "optimizer steps of the MoE and the dense runs (the 2x dense run takes twice as many; the equal-spend one as many as the MoE's spend buys)", 300, min: 10);
        var width = CliOptions.Int("--width", "embedding width of the MoE model and of the equal-active dense model", 128, min: 8);
        var experts = CliOptions.Int("--experts", "experts per MoE block", 4, min: 2);
        var topK = CliOptions.Int("--top-k", "experts per token (each expert's MLP is 4 x width / k wide, so active parameters match the dense model)", 1, min: 1);
        var capacity = new Option<double>("--capacity-factor") { Description = "expert capacity over an even split", DefaultValueFactory = _ => 1.25 };
        var batch = CliOptions.Int("--batch", "sequences per step of every run (raise it on a GPU so the runs are compute-bound)", 32);
        var context = CliOptions.Int("--context", "context length of every run, in bytes", 64, min: 2);
        var depth = CliOptions.Int("--depth", "transformer blocks of every model", 2);
        var variants = new Option<string>("--variants") { Description = $"which of {MoeVariants.KnownKeys} (moe always runs; dense-active too with the equal-spend run, whose steps its cost sets)", HelpName = "LIST", DefaultValueFactory = _ => MoeVariants.DefaultKeys };
        var seed = CliOptions.Int("--seed", "seed of every run (initial weights and data order)", 1337);
        var output = Output("moe.json");
        var command = new Command("moe", "Train a mixture-of-experts GPT beside dense GPTs of equal active and equal total parameters; compare loss at equal tokens and equal energy.")
        {
            device, libTorch, text, steps, width, experts, topK, capacity, batch, context, depth, variants, seed, output,
        };
        command.SetAction((p, _) => MoeBenchmark.RunAsync(new MoeArguments(p.GetValue(device), p.GetValue(libTorch), p.GetValue(text)!, p.GetValue(steps),
            p.GetValue(width), p.GetValue(experts), p.GetValue(topK), p.GetValue(capacity), p.GetValue(output)!, p.GetValue(batch), p.GetValue(context),
            p.GetValue(depth), p.GetValue(variants)!, p.GetValue(seed))));
        return command;
    }

    private static Option<string?> LibTorch() =>
        new("--libtorch") { Description = "the external CUDA LibTorch (default: found from python3's torch)", HelpName = "DIR" };

    private static Option<string> Output(string file) =>
        new("--output") { Description = "results file (JSON)", HelpName = "FILE", DefaultValueFactory = _ => Path.Combine("artifacts", "benchmarks", file) };
}
