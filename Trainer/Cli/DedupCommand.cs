using System.CommandLine;
using System.Globalization;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Data.Dedup;
using GreenTrain.Trainer.Devices;
using GreenTrain.Trainer.Energy.Training;
using Microsoft.Extensions.Logging;

namespace GreenTrain.Trainer.Cli;

/// <summary>
/// `dedup --config SPEC.json --out DIR [--device ...] [--threads N]`: runs the spec's dataset.dedup stage alone and
/// writes DIR/dedup.json, DIR/dedup-manifest.jsonl and the stage's energy (DIR/energy.jsonl, phase dedup).
/// Exit codes (<see cref="ExitCodes"/>): 0 done, 2 bad input, 1 failure.
/// </summary>
public static class DedupCommand
{
    public static Command Create()
    {
        var config = CliOptions.ExistingFile("--config", "an experiment spec with dataset.dedup (see Trainer/examples/dedup-*.json)");
        var folder = CliOptions.Folder("--out", "folder for dedup.json, dedup-manifest.jsonl and energy.jsonl (created if missing)");
        var device = CliOptions.Device(DeviceRequest.Auto, "cpu, cuda, cuda:N or auto, for the semantic and prune stages' proxy run");
        var threads = CliOptions.Int("--threads", "CPU threads (default: cores - 1, at least 1)", Engine.RunOptions.DefaultCpuThreads);
        var command = new Command("dedup", "Remove exact, near and semantic duplicates (and prune) from a spec's training data, without training.")
        {
            config, folder, device, threads,
        };
        command.SetAction(parsed => Run(parsed.GetRequiredValue(config).FullName, parsed.GetRequiredValue(folder).FullName, parsed.GetValue(device),
            parsed.GetValue(threads), parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string config, string outFolder, DeviceRequest request, int threads, TextWriter output, TextWriter error)
    {
        var parsed = ExperimentSpecJson.Parse(File.ReadAllText(config));
        if (!parsed.IsValid)
        {
            throw new UsageException([$"{config} has {parsed.Errors.Count} problem(s):", .. parsed.Errors.Select(p => $"  {p}")]);
        }

        if (parsed.Spec!.Dataset.Dedup is null)
        {
            throw new UsageException($"{config} has no dataset.dedup: nothing to do (for example \"dedup\": {{ \"exact\": true, \"near\": {{ \"threshold\": 0.8 }} }})");
        }

        var (device, deviceError) = DeviceSelector.Select(request, null, output.WriteLine);
        if (device is null)
        {
            throw new UsageException(deviceError!);
        }

        try
        {
            Directory.CreateDirectory(outFolder);
            var spec = parsed.Spec;
            using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            using var energy = new RunFolderEnergy(outFolder, TrainCommand.ExperimentIdOf(spec));
            energy.WriteRunInfo(spec.Name);
            var (data, summary, _) = DedupStage.Open(spec, device.Device, threads, outFolder, energy, loggerFactory.CreateLogger("GreenTrain.Trainer"));
            data.Dispose();
            output.WriteLine(Describe(summary!));
            output.WriteLine($"wrote {Path.Combine(outFolder, DedupSummary.FileName)} and {Path.Combine(outFolder, DedupSummary.ManifestFileName)}");
            return ExitCodes.Done;
        }
        catch (DataSetNotFoundException e)
        {
            throw new UsageException(e.Message);
        }
        catch (Exception e) when (e is not UsageException)
        {
            error.WriteLine($"dedup failed: {e.GetType().Name}: {e.Message}");
            error.WriteLine(e.StackTrace);
            return ExitCodes.Failure;
        }
    }

    /// <summary>"dedup: 60000 -> 54000 examples (10.0 % removed) in 3.2 s, 41 J (estimate); exact 12, near 5988 (61000/s) ..."</summary>
    public static string Describe(DedupSummary s)
    {
        var c = CultureInfo.InvariantCulture;
        var stages = string.Join(", ", s.Stages.Select(st => string.Create(c, $"{st.Stage} -{st.Removed} ({st.ExamplesPerSecond:F0}/s)")));
        var energy = s.EnergyJoules is { } j ? string.Create(c, $", {j:F1} J ({s.EnergyMethod?.ToString().ToLowerInvariant()})") : "";
        var overlap = s.Overlap is { } o ? $"; overlap with training: validation {o.ValidationOverlap}/{o.Validation}, test {o.TestOverlap}/{o.Test} removed" : "";
        return string.Create(c, $"dedup: {s.Examples} -> {s.Kept} training examples ({s.RemovedFraction:P1} removed) in {s.Seconds:F1} s{energy}; {stages}{overlap}");
    }
}
