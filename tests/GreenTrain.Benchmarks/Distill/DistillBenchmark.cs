using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GreenTrain.Benchmarks.Support;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Devices;
using GreenTrain.Trainer.Energy;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Export;
using Spectre.Console;

namespace GreenTrain.Benchmarks.Distill;

/// <summary>
/// `distill`: per workload, trains a teacher and exports it (model.json + model.safetensors); at the first seed, a
/// student of about a quarter of its parameters from scratch and distilled with every setting of the grid, the setting
/// with the best validation metric chosen; at every other seed, the scratch student and the chosen setting again.
/// Prints the grid (validation only), each seed's test figures and the share of the teacher-student gap the distilled
/// student recovers with its mean and spread over seeds, and the energy and CPU seconds of each run, the distilled
/// runs' including their teacher forward passes.
/// </summary>
public static class DistillBenchmark
{
    public static async Task<int> RunAsync(DistillArguments arguments)
    {
        if (await BenchmarkDevice.OpenAsync(arguments.Device, arguments.LibTorch) is not { } opened)
        {
            return 2;
        }
        var (choice, energy) = opened;
        var clock = Stopwatch.StartNew();
        var results = new List<DistillResult>();
        var exports = Directory.CreateTempSubdirectory("greentrain-distill-");
        try
        {
            foreach (var workload in arguments.Workloads.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                results.AddRange(RunWorkload(workload, arguments, choice, energy, Path.Combine(exports.FullName, workload)));
            }
        }
        finally
        {
            exports.Delete(recursive: true);
        }

        var report = DistillComparison.Compare(results);
        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 240); // one line per row, also when redirected
        foreach (var table in DistillComparison.Tables(report)) AnsiConsole.Write(table);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(arguments.Output))!);
        await File.WriteAllTextAsync(arguments.Output, JsonSerializer.Serialize(new
        {
            device = choice.Description, arguments.TeacherSteps, arguments.StudentSteps, cnnWidths = new { teacher = arguments.CnnWidths.Teacher, student = arguments.CnnWidths.Student }, seeds = arguments.Seeds, grid = arguments.Grid,
            seconds = clock.Elapsed.TotalSeconds, energySources = energy.Notes, summaries = report.Summaries, seedRows = report.Seeds, gridRows = report.Grid, runs = results,
        }, ExperimentSpecJson.Options));
        Console.WriteLine(F($"wrote {arguments.Output} after {clock.Elapsed.TotalMinutes:0.0} min"));
        return 0;
    }

    private static List<DistillResult> RunWorkload(string workload, DistillArguments arguments, DeviceChoice choice, EnergyMeterFactory energy, string folder)
    {
        var (teacherSpec, student) = workload == "cnn"
            ? DistillWorkloads.Cnn(arguments.FashionFolder, arguments.TeacherSteps, arguments.StudentSteps, arguments.CnnWidths.Teacher, arguments.CnnWidths.Student)
            : DistillWorkloads.Gpt(arguments.TextPath, arguments.TeacherSteps, arguments.StudentSteps);
        using var data = DataSetFactory.Open(teacherSpec, choice.Device);
        var results = new List<DistillResult>();
        DistillResult Train(string role, DistillSetting? setting, ExperimentSpec spec, IEnumerable<ITrainingObserver> observers)
        {
            var result = DistillRun.Train(workload, role, setting, spec, data, choice.Device, energy, observers);
            Console.WriteLine(F($"{workload} {role} seed {result.Seed} {setting?.ToString() ?? ""}: {result.Parameters:N0} parameters, validation loss {result.ValidationLoss:0.0000} accuracy {result.ValidationAccuracy:P2}, test loss {result.TestLoss:0.0000} accuracy {result.TestAccuracy:P2}, {result.Joules:0} J, {result.Seconds:0} s, {result.CpuSeconds:0} CPU s"));
            results.Add(result);
            return result;
        }
        DistillResult Distilled(string role, DistillSetting setting, int seed) =>
            Train(role, setting, DistillWorkloads.Distilled(DistillWorkloads.Seeded(student, seed), folder, setting.Alpha, setting.Temperature), []);

        Train(DistillComparison.Teacher, null, teacherSpec, [new ModelFilesObserver(folder)]);
        var first = arguments.Seeds[0];
        Train(DistillComparison.Scratch, null, DistillWorkloads.Seeded(student, first), []);
        var grid = arguments.Grid.Select(setting => Distilled(DistillComparison.GridRun, setting, first)).ToList();
        var chosen = DistillSelection.Choose(grid).Setting!;
        Console.WriteLine(F($"{workload}: validation chooses {chosen}"));
        foreach (var seed in arguments.Seeds.Skip(1))
        {
            Train(DistillComparison.Scratch, null, DistillWorkloads.Seeded(student, seed), []);
            Distilled(DistillComparison.Distilled, chosen, seed);
        }
        return results;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
