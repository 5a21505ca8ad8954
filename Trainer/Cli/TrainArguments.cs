using System.CommandLine;
using GreenTrain.ServiceDefaults.Cli;

namespace GreenTrain.Trainer.Cli;

/// <summary>The values one `train` run got.</summary>
public sealed record TrainArguments(string Config, string Out, DeviceRequest Device, string? LibTorch, double? PeakTflops, int LogEvery, int Threads);

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

    public IEnumerable<Option> All =>
        [ConfigOption, OutOption, DeviceOption, LibTorchOption, PeakTflopsOption, LogEveryOption, ThreadsOption];

    public TrainArguments Read(ParseResult parsed) => new(
        parsed.GetRequiredValue(ConfigOption).FullName,
        parsed.GetRequiredValue(OutOption).FullName,
        parsed.GetValue(DeviceOption),
        parsed.GetValue(LibTorchOption),
        parsed.GetValue(PeakTflopsOption),
        parsed.GetValue(LogEveryOption),
        parsed.GetValue(ThreadsOption));
}
