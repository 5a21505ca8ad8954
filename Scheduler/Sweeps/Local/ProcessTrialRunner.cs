using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Scheduler.Sweeps.Local;

/// <summary>
/// Runs each segment as the Trainer's own `train` command in a child process (`dotnet GreenTrain.Trainer.dll train
/// --checkpoint-folder ... --stop-at-step ...`): the Scheduler does not carry LibTorch, and a trial that crashes
/// takes only its process with it. Each trial keeps its spec and checkpoint under WORK/TRIAL/, each segment its
/// result.json and energy.jsonl under WORK/TRIAL/r-RESOURCE/.
/// </summary>
public sealed class ProcessTrialRunner(string trainerDll, string workFolder, int threads) : ITrialRunner
{
    public TrialOutcome Run(TrialSegment segment, CancellationToken cancellationToken)
    {
        var trialFolder = Path.Combine(workFolder, segment.TrialId);
        var checkpoint = Path.Combine(trialFolder, "checkpoint");
        if (segment.Restart && Directory.Exists(checkpoint)) Directory.Delete(checkpoint, recursive: true);
        Directory.CreateDirectory(trialFolder);
        var specFile = Path.Combine(trialFolder, "spec.json");
        File.WriteAllText(specFile, ExperimentSpecJson.Serialize(segment.Spec));
        var output = Path.Combine(trialFolder, $"r-{segment.Resource}");
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[trainerDll, "train", "--config", specFile, "--out", output, "--checkpoint-folder", checkpoint,
            segment.Unit == ResourceUnit.Steps ? "--stop-at-step" : "--stop-at-epoch", segment.Resource.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--device", "cpu", "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }
        if (segment.EvalBatches is { } batches)
        {
            start.ArgumentList.Add("--eval-batches");
            start.ArgumentList.Add(batches.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start dotnet {trainerDll}");
        // Cancelling a sweep stops the running trial at once; its last checkpoint stays for a rerun.
        using var kill = cancellationToken.Register(() => process.Kill(entireProcessTree: true));
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        process.WaitForExit();
        cancellationToken.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
        {
            throw new TrialFailedException(segment.TrialId, process.ExitCode, (stderr.Result + stdout.Result).Trim());
        }
        return ReadOutcome(output);
    }

    /// <summary>The segment's validation metric and test score from result.json, its energy summed from energy.jsonl (paused windows are not billed).</summary>
    public static TrialOutcome ReadOutcome(string output)
    {
        var result = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "result.json")))!.AsObject();
        var final = result["final"];
        var windows = Path.Combine(output, EnergyFiles.WindowsFileName);
        var (joules, method) = EnergyTotal.Of((File.Exists(windows) ? File.ReadLines(windows) : [])
            .Where(line => !string.IsNullOrWhiteSpace(line)).Select(line => JsonSerializer.Deserialize<EnergyWindow>(line, EnergyFiles.JsonOptions)!));
        var steps = result["steps"]!.GetValue<long>();
        var stopReason = result["stopReason"]?.GetValue<string>() ?? "";
        return new TrialOutcome(final?["accuracy"]?.GetValue<double?>(), final?["loss"]?.GetValue<double>(),
            result["test"]?["accuracy"]?.GetValue<double?>(), steps, steps - ResumedFrom(output), joules, method, stopReason);
    }

    /// <summary>Where the segment began: the first energy window's start step (0 when it started fresh).</summary>
    private static long ResumedFrom(string output)
    {
        var windows = Path.Combine(output, EnergyFiles.WindowsFileName);
        var first = File.Exists(windows) ? File.ReadLines(windows).FirstOrDefault(l => !string.IsNullOrWhiteSpace(l)) : null;
        return first is null ? 0 : JsonSerializer.Deserialize<EnergyWindow>(first, EnergyFiles.JsonOptions)!.StepStart;
    }
}

/// <summary>A trial's Trainer process failed: the sweep stops and says which trial and why.</summary>
public sealed class TrialFailedException(string trialId, int exitCode, string output)
    : Exception($"trial {trialId}: the Trainer exited with {exitCode}: {(output.Length > 2000 ? output[^2000..] : output)}");
