using System.CommandLine;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Data.Dedup;
using GreenTrain.Trainer.Devices;
using GreenTrain.Trainer.Energy.Training;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Export;
using GreenTrain.Trainer.Observers;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace GreenTrain.Trainer.Cli;

/// <summary>
/// `train --config SPEC.json --out DIR [--device ...]`: trains one spec and writes DIR/result.json,
/// DIR/metrics.csv and the model files (model.safetensors, model.pt, model.json; see ModelFiles). Exit codes (<see cref="ExitCodes"/>): 0 done, 2 bad input (every reason printed), 1 failure
/// during training.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var options = new TrainOptions();
        var command = new Command("train", "Train one experiment spec on this machine, without the store or the web service.");
        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }
        command.SetAction(parsed => Run(options.Read(parsed), parsed.Tokens.Select(t => t.Value).ToArray(),
            parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(TrainArguments arguments, string[] commandLine, TextWriter output, TextWriter error)
    {
        var parsed = ExperimentSpecJson.Parse(File.ReadAllText(arguments.Config));
        if (!parsed.IsValid)
        {
            throw new UsageException([$"{arguments.Config} has {parsed.Errors.Count} problem(s):", .. parsed.Errors.Select(p => $"  {p}")]);
        }

        if (arguments.Device != DeviceRequest.Cpu
            && LibTorchLocator.Find(arguments.LibTorch, out _) is { } folder
            && LibTorchLocator.HasCudaLibTorch(folder)
            && LibTorchLoader.RelaunchWithLibraryPath(folder, commandLine) is { } childExitCode)
        {
            return childExitCode;
        }

        var (device, deviceError) = DeviceSelector.Select(arguments.Device, arguments.LibTorch, output.WriteLine);
        if (device is null)
        {
            throw new UsageException(deviceError!);
        }

        try
        {
            Directory.CreateDirectory(arguments.Out);
            var model = new ModelFilesObserver(arguments.Out);
            var result = Train(parsed.Spec!, arguments, device, output, model);
            ResultFile.Write(arguments.Out, result);
            AnsiConsole.Write(SummaryTable.Build(result));
            output.WriteLine($"wrote {Path.Combine(arguments.Out, ResultFile.FileName)} and {Path.Combine(arguments.Out, "metrics.csv")}");
            output.WriteLine($"model: {string.Join(", ", model.Written)} (safetensors, PyTorch state_dict, architecture)");
            return ExitCodes.Done;
        }
        catch (Exception e) when (e is DataSetNotFoundException or Methods.Distillation.TeacherUnavailableException)
        {
            throw new UsageException(e.Message);
        }
        catch (Exception e) when (e is not UsageException)
        {
            error.WriteLine($"training failed: {e.GetType().Name}: {e.Message}");
            error.WriteLine(e.StackTrace);
            return ExitCodes.Failure;
        }
    }
    private static TrainingResult Train(ExperimentSpec spec, TrainArguments arguments, DeviceChoice device, TextWriter output, ModelFilesObserver model)
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
        var options = new RunOptions { Device = device.Device, PeakTflops = arguments.PeakTflops, LogEverySteps = arguments.LogEvery, CpuThreads = arguments.Threads,
            EvalBatches = arguments.EvalBatches };
        output.WriteLine($"training {spec.Name}: {spec.Model.Kind} on {spec.Dataset.Kind}, {spec.Training.Precision}, device {device.Description}");

        // dataset.dedup runs here, before training, metered as the run's dedup phase (dedup.json and its manifest go to DIR).
        var (data, dedup, _) = TrainingSession.OpenData(spec, options, arguments.Out, energy, logger);
        if (dedup is not null) output.WriteLine(DedupCommand.Describe(dedup));
        var segment = arguments.CheckpointFolder is not null || arguments.StopAtStep is not null || arguments.StopAtEpoch is not null
            ? new LocalSegment(arguments.CheckpointFolder ?? Path.Combine(arguments.Out, "checkpoint"), arguments.StopAtStep, arguments.StopAtEpoch)
            : null;
        var interactive = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
        if (!interactive)
        {
            return TrainingSession.Run(spec, options, [new ProgressObserver(output, null), metrics, energy.Observer, model], logger, data: data, segment: segment) with { Dedup = dedup };
        }

        TrainingResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var bar = context.AddTask("starting", maxValue: 1);
                result = TrainingSession.Run(spec, options, [new ProgressObserver(output, bar), metrics, energy.Observer, model], logger, data: data, segment: segment);
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
