using GreenTrain.Trainer.Energy.Training;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Data.Dedup;
using GreenTrain.Trainer.Devices;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Observers;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace GreenTrain.Trainer.Cli;

/// <summary>
/// `train --config SPEC.json --out DIR [--device cpu|cuda|auto] [--libtorch DIR]`: trains one spec and
/// writes DIR/result.json and DIR/metrics.csv. Exit codes: 0 done, 2 bad input (every reason printed),
/// 1 failure during training.
/// </summary>
public static class TrainCommand
{
    public const int Done = 0;
    public const int Failure = 1;
    public const int BadInput = 2;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var (arguments, argumentErrors) = TrainArguments.Parse(args);
        if (arguments is null)
        {
            foreach (var problem in argumentErrors) error.WriteLine($"error: {problem}");
            error.WriteLine(TrainArguments.Usage);
            return BadInput;
        }

        var parsed = ExperimentSpecJson.Parse(File.ReadAllText(arguments.Config));
        if (!parsed.IsValid)
        {
            error.WriteLine($"error: {arguments.Config} has {parsed.Errors.Count} problem(s):");
            foreach (var problem in parsed.Errors) error.WriteLine($"  {problem}");
            return BadInput;
        }

        if (arguments.Device != DeviceRequest.Cpu
            && LibTorchLocator.Find(arguments.LibTorch, out _) is { } folder
            && LibTorchLocator.HasCudaLibTorch(folder)
            && LibTorchLoader.RelaunchWithLibraryPath(folder, ["train", .. args]) is { } childExitCode)
        {
            return childExitCode;
        }

        var (device, deviceError) = DeviceSelector.Select(arguments.Device, arguments.LibTorch, message => output.WriteLine(message));
        if (device is null)
        {
            error.WriteLine($"error: {deviceError}");
            return BadInput;
        }

        try
        {
            Directory.CreateDirectory(arguments.Out);
            var result = Train(parsed.Spec!, arguments, device, output);
            ResultFile.Write(arguments.Out, result);
            AnsiConsole.Write(SummaryTable.Build(result));
            output.WriteLine($"wrote {Path.Combine(arguments.Out, ResultFile.FileName)} and {Path.Combine(arguments.Out, "metrics.csv")}");
            return Done;
        }
        catch (DataSetNotFoundException e)
        {
            error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (Exception e)
        {
            error.WriteLine($"training failed: {e.GetType().Name}: {e.Message}");
            error.WriteLine(e.StackTrace);
            return Failure;
        }
    }

    private static TrainingResult Train(ExperimentSpec spec, TrainArguments arguments, DeviceChoice device, TextWriter output)
    {
        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        var logger = loggerFactory.CreateLogger("GreenTrain.Trainer");
        using var metrics = new MetricsCsvObserver(Path.Combine(arguments.Out, "metrics.csv"));
        // Energy windows go to DIR/energy.jsonl so `dotnet run --project Telemetry -- report --energy DIR` can account the run.
        using var energy = new RunFolderEnergy(arguments.Out, ExperimentIdOf(spec));
        foreach (var note in energy.Notes)
        {
            output.WriteLine($"energy: {note}");
        }
        var options = new RunOptions { Device = device.Device, PeakTflops = arguments.PeakTflops, LogEverySteps = arguments.LogEvery, CpuThreads = arguments.Threads };
        output.WriteLine($"training {spec.Name}: {spec.Model.Kind} on {spec.Dataset.Kind}, {spec.Training.Precision}, device {device.Description}");

        // dataset.dedup runs here, before training, metered as the run's dedup phase (dedup.json and its manifest go to DIR).
        var (data, dedup) = DedupStage.Open(spec, device.Device, arguments.Threads, arguments.Out, energy, logger);
        if (dedup is not null) output.WriteLine(DedupCommand.Describe(dedup));
        var interactive = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
        if (!interactive)
        {
            return TrainingSession.Run(spec, options, [new ProgressObserver(output, null), metrics, energy.Observer], logger, data: data) with { Dedup = dedup };
        }

        TrainingResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var bar = context.AddTask("starting", maxValue: 1);
                result = TrainingSession.Run(spec, options, [new ProgressObserver(output, bar), metrics, energy.Observer], logger, data: data);
                bar.Value = bar.MaxValue;
            });
        return result! with { Dedup = dedup };
    }

    /// <summary>The spec's name as an experiment id: store keys and reports accept letters, digits, '-', '_' and '.'.</summary>
    internal static string ExperimentIdOf(ExperimentSpec spec)
    {
        var id = new string(spec.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());
        return id.Length is > 0 and <= 128 ? id : "run";
    }
}
