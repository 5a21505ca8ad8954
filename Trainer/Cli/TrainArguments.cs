using System.CommandLine;
using GreenTrain.ServiceDefaults.Cli;

namespace GreenTrain.Trainer.Cli;

/// <summary>The values one `train` run got.</summary>
public sealed record TrainArguments(string Config, string Out, DeviceRequest Device, string? LibTorch, double? PeakTflops, int LogEvery, int Threads,
    string? CheckpointFolder = null, int? StopAtStep = null, int? StopAtEpoch = null, int? EvalBatches = null);

/// <summary>The options of `train`, typed and checked by the parser (one set per command: an option belongs to one command).</summary>
public sealed class TrainOptions
{
    public readonly Option<FileInfo> ConfigOption = CliOptions.ExistingFile("--config", "the experiment spec (JSON; see Trainer/examples/)");

    public readonly Option<DirectoryInfo> OutOption = CliOptions.Folder("--out", "folder for result.json, metrics.csv and the model files (created if missing)");

    public readonly Option<DeviceRequest> DeviceOption = CliOptions.Device(DeviceRequest.Auto,
        "cpu, cuda, cuda:N or auto (default: auto = cuda when a CUDA LibTorch is found, else cpu)");

    public readonly Option<string?> LibTorchOption = new("--libtorch")
    {
        Description = "folder of an external LibTorch for CUDA, e.g. <site-packages>/torch/lib (default: found with python3)",
        HelpName = "DIR",
    };

    public readonly Option<double?> PeakTflopsOption = CliOptions.OptionalNumber("--peak-tflops",
        "the device's peak TFLOP/s at the run's precision, to report MFU", min: double.Epsilon);

    public readonly Option<int> LogEveryOption = CliOptions.Int("--log-every", "optimizer steps between progress updates", 10);

    public readonly Option<int> ThreadsOption = CliOptions.Int("--threads", "CPU threads for LibTorch (default: cores - 1, at least 1)",
        Engine.RunOptions.DefaultCpuThreads);

    public readonly Option<DirectoryInfo?> CheckpointFolderOption = new("--checkpoint-folder")
    {
        Description = "continue from the checkpoint in DIR if there is one, and leave the run's final state there (a sweep's trial segments)",
        HelpName = "DIR",
    };

    public readonly Option<int?> StopAtStepOption = new("--stop-at-step")
    {
        Description = "stop at this optimizer step, on the schedule of the spec's full length (with --checkpoint-folder a later run continues)",
        HelpName = "N",
        CustomParser = result => CliOptions.Parsed(result, "--stop-at-step", 1, int.MaxValue,
            text => int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var step) ? step : null, "a whole number"),
    };

    public readonly Option<int?> StopAtEpochOption = new("--stop-at-epoch")
    {
        Description = "stop once this many epochs are done, on the schedule of the spec's full length (like --stop-at-step)",
        HelpName = "N",
        CustomParser = result => CliOptions.Parsed(result, "--stop-at-epoch", 1, int.MaxValue,
            text => int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var epoch) ? epoch : null, "a whole number"),
    };

    public readonly Option<int?> EvalBatchesOption = CliOptions.OptionalInt("--eval-batches",
        "score each evaluation on the first N validation batches instead of the spec's training.evalBatches (a sweep's cheaper rung score; "
            + "outside the spec, so a checkpoint resumes under another setting)", 1, ServiceDefaults.Contracts.SpecLimits.MaxEvalBatches);

    public IEnumerable<Option> All =>
        [ConfigOption, OutOption, DeviceOption, LibTorchOption, PeakTflopsOption, LogEveryOption, ThreadsOption, CheckpointFolderOption, StopAtStepOption, StopAtEpochOption,
            EvalBatchesOption];

    public TrainArguments Read(ParseResult parsed) => new(
        parsed.GetRequiredValue(ConfigOption).FullName,
        parsed.GetRequiredValue(OutOption).FullName,
        parsed.GetValue(DeviceOption),
        parsed.GetValue(LibTorchOption),
        parsed.GetValue(PeakTflopsOption),
        parsed.GetValue(LogEveryOption),
        parsed.GetValue(ThreadsOption),
        parsed.GetValue(CheckpointFolderOption)?.FullName,
        parsed.GetValue(StopAtStepOption),
        parsed.GetValue(StopAtEpochOption),
        parsed.GetValue(EvalBatchesOption));
}
