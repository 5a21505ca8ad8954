using System.Globalization;
using GreenTrain.Trainer.Devices;

namespace GreenTrain.Trainer.Cli;

/// <summary>The arguments of `train`: --config SPEC.json --out DIR [--device cpu|cuda|auto] [--libtorch DIR] [--peak-tflops N] [--log-every N] [--threads N].</summary>
public sealed record TrainArguments(string Config, string Out, DeviceRequest Device, string? LibTorch, double? PeakTflops, int LogEvery, int Threads)
{
    public const string Usage =
        "usage: train --config SPEC.json --out DIR [--device cpu|cuda|auto] [--libtorch DIR] [--peak-tflops N] [--log-every N] [--threads N]\n" +
        "  --config       the experiment spec (JSON; see Trainer/examples/)\n" +
        "  --out          folder for result.json and metrics.csv (created if missing)\n" +
        "  --device       cpu, cuda or auto (default: auto = cuda when a CUDA LibTorch is found, else cpu)\n" +
        "  --libtorch     folder of an external LibTorch for CUDA, e.g. <site-packages>/torch/lib (default: found with python3)\n" +
        "  --peak-tflops  the device's peak TFLOP/s at the run's precision, to report MFU\n" +
        "  --log-every    optimizer steps between progress updates (default 10)\n" +
        "  --threads      CPU threads for LibTorch (default: cores - 1, at least 1)";

    /// <summary>Parses, collecting every problem rather than stopping at the first.</summary>
    public static (TrainArguments? Arguments, List<string> Errors) Parse(IReadOnlyList<string> args)
    {
        var errors = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] known = ["--config", "--out", "--device", "--libtorch", "--peak-tflops", "--log-every", "--threads"];
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!known.Contains(name)) { errors.Add($"unknown argument '{name}'"); continue; }
            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)) { errors.Add($"{name} needs a value"); continue; }
            values[name] = args[++i];
        }

        if (!values.TryGetValue("--config", out var config)) errors.Add("--config SPEC.json is required");
        if (!values.TryGetValue("--out", out var output)) errors.Add("--out DIR is required");

        var device = DeviceRequest.Auto;
        if (values.TryGetValue("--device", out var deviceText) && !Enum.TryParse(deviceText, ignoreCase: true, out device))
        {
            errors.Add($"--device must be cpu, cuda or auto, not '{deviceText}'");
        }

        double? peak = null;
        if (values.TryGetValue("--peak-tflops", out var peakText))
        {
            if (double.TryParse(peakText, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p > 0) peak = p;
            else errors.Add($"--peak-tflops must be a positive number, not '{peakText}'");
        }

        var logEvery = 10;
        if (values.TryGetValue("--log-every", out var logText) && !(int.TryParse(logText, out logEvery) && logEvery >= 1))
        {
            errors.Add($"--log-every must be a whole number >= 1, not '{logText}'");
        }

        var threads = Engine.RunOptions.DefaultCpuThreads;
        if (values.TryGetValue("--threads", out var threadText) && !(int.TryParse(threadText, out threads) && threads >= 1))
        {
            errors.Add($"--threads must be a whole number >= 1, not '{threadText}'");
        }

        if (config is not null && !File.Exists(config)) errors.Add($"--config: {config} does not exist");
        return errors.Count > 0 ? (null, errors) : (new TrainArguments(config!, output!, device, values.GetValueOrDefault("--libtorch"), peak, logEvery, threads), errors);
    }
}
