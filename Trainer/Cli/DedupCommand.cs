using System.Globalization;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Data.Dedup;
using GreenTrain.Trainer.Devices;
using GreenTrain.Trainer.Energy.Training;
using Microsoft.Extensions.Logging;

namespace GreenTrain.Trainer.Cli;

/// <summary>
/// `dedup --config SPEC.json --out DIR [--device cpu|cuda|auto] [--libtorch DIR] [--threads N]`: runs the
/// spec's dataset.dedup stage alone and writes DIR/dedup.json, DIR/dedup-manifest.jsonl and the stage's energy
/// (DIR/energy.jsonl, phase dedup). Same arguments and exit codes as `train` (0 done, 2 bad input, 1 failure).
/// </summary>
public static class DedupCommand
{
    public const string Usage =
        "usage: dedup --config SPEC.json --out DIR [--device cpu|cuda|auto] [--libtorch DIR] [--threads N]\n" +
        "  --config   an experiment spec with dataset.dedup (see Trainer/examples/dedup-*.json)\n" +
        "  --out      folder for dedup.json, dedup-manifest.jsonl and energy.jsonl (created if missing)\n" +
        "  --device   cpu, cuda or auto, for the semantic and prune stages' proxy run (default auto)\n" +
        "  --threads  CPU threads (default: cores - 1, at least 1)";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var (arguments, problems) = TrainArguments.Parse(args);
        if (arguments is null)
        {
            foreach (var problem in problems) error.WriteLine($"error: {problem}");
            error.WriteLine(Usage);
            return TrainCommand.BadInput;
        }

        var parsed = ExperimentSpecJson.Parse(File.ReadAllText(arguments.Config));
        if (parsed.IsValid && parsed.Spec!.Dataset.Dedup is null)
        {
            error.WriteLine($"error: {arguments.Config} has no dataset.dedup: nothing to do (for example \"dedup\": {{ \"exact\": true, \"near\": {{ \"threshold\": 0.8 }} }})");
            return TrainCommand.BadInput;
        }

        if (!parsed.IsValid)
        {
            error.WriteLine($"error: {arguments.Config} has {parsed.Errors.Count} problem(s):");
            foreach (var problem in parsed.Errors) error.WriteLine($"  {problem}");
            return TrainCommand.BadInput;
        }

        var (device, deviceError) = DeviceSelector.Select(arguments.Device, arguments.LibTorch, message => output.WriteLine(message));
        if (device is null)
        {
            error.WriteLine($"error: {deviceError}");
            return TrainCommand.BadInput;
        }

        try
        {
            Directory.CreateDirectory(arguments.Out);
            var spec = parsed.Spec!;
            using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            using var energy = new RunFolderEnergy(arguments.Out, TrainCommand.ExperimentIdOf(spec));
            energy.WriteRunInfo(spec.Name);
            var (data, summary) = DedupStage.Open(spec, device.Device, arguments.Threads, arguments.Out, energy, loggerFactory.CreateLogger("GreenTrain.Trainer"));
            data.Dispose();
            output.WriteLine(Describe(summary!));
            output.WriteLine($"wrote {Path.Combine(arguments.Out, DedupSummary.FileName)} and {Path.Combine(arguments.Out, DedupSummary.ManifestFileName)}");
            return TrainCommand.Done;
        }
        catch (DataSetNotFoundException e)
        {
            error.WriteLine($"error: {e.Message}");
            return TrainCommand.BadInput;
        }
        catch (Exception e)
        {
            error.WriteLine($"dedup failed: {e.GetType().Name}: {e.Message}");
            error.WriteLine(e.StackTrace);
            return TrainCommand.Failure;
        }
    }

    /// <summary>"dedup: 60000 -> 54000 examples (10.0 % removed) in 3.2 s, 41 J (estimate); exact 12, near 5988 (61000/s) ..."</summary>
    public static string Describe(DedupSummary s)
    {
        var c = CultureInfo.InvariantCulture;
        var stages = string.Join(", ", s.Stages.Select(st => string.Create(c, $"{st.Stage} -{st.Removed} ({st.ExamplesPerSecond:F0}/s)")));
        var energy = s.EnergyJoules is { } j ? string.Create(c, $", {j:F1} J ({s.EnergyMethod?.ToString().ToLowerInvariant()})") : "";
        var overlap = s.Overlap is { } o ? $"; overlap with training: validation {o.ValidationOverlap}/{o.Validation}, test {o.TestOverlap}/{o.Test} documents removed" : "";
        return string.Create(c, $"dedup: {s.Examples} -> {s.Kept} training examples ({s.RemovedFraction:P1} removed) in {s.Seconds:F1} s{energy}; {stages}{overlap}");
    }
}
