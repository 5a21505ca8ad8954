using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GreenTrain.Benchmarks.Support;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Devices;
using GreenTrain.Trainer.Energy;
using GreenTrain.Trainer.Export;
using Spectre.Console;

namespace GreenTrain.Benchmarks.Distill;

/// <summary>
/// `distill`: per workload, trains a teacher and exports it (model.json + model.safetensors), then a student of about a
/// quarter of its parameters twice, from scratch and distilled from the exported teacher, with the same seed, steps and
/// data; prints side by side the test metric of each, the share of the teacher-student gap the distilled student
/// recovers, and the energy and CPU seconds of each run, the distilled run's including its teacher forward passes.
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
                var (teacher, student) = workload == "cnn"
                    ? DistillWorkloads.Cnn(arguments.FashionFolder, arguments.TeacherSteps, arguments.StudentSteps)
                    : DistillWorkloads.Gpt(arguments.TextPath, arguments.TeacherSteps, arguments.StudentSteps);
                var settings = workload == "cnn" ? arguments.CnnSettings : arguments.GptSettings;
                using var data = DataSetFactory.Open(teacher, choice.Device);
                var folder = Path.Combine(exports.FullName, workload);
                var runs = new List<(string Role, ExperimentSpec Spec)> { ("teacher", teacher), ("student, scratch", student) };
                runs.AddRange(settings.Select(s => (F($"student, distilled a={s.Alpha} T={s.Temperature}"), DistillWorkloads.Distilled(student, folder, s.Alpha, s.Temperature))));
                foreach (var (role, spec) in runs)
                {
                    var result = DistillRun.Train(workload, role, spec, data, choice.Device, energy, role == "teacher" ? [new ModelFilesObserver(folder)] : []);
                    Console.WriteLine(F($"{workload} {role}: {result.Parameters:N0} parameters, test loss {result.TestLoss:0.0000}, accuracy {result.TestAccuracy:P2}, {result.Joules:0} J, {result.Seconds:0} s, {result.CpuSeconds:0} CPU s"));
                    results.Add(result);
                }
            }
        }
        finally
        {
            exports.Delete(recursive: true);
        }

        var rows = DistillComparison.Compare(results);
        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 240); // one line per row, also when redirected
        AnsiConsole.Write(DistillComparison.Table(rows));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(arguments.Output))!);
        await File.WriteAllTextAsync(arguments.Output, JsonSerializer.Serialize(new
        {
            device = choice.Description, arguments.TeacherSteps, arguments.StudentSteps, arguments.CnnSettings, arguments.GptSettings, seconds = clock.Elapsed.TotalSeconds, energySources = energy.Notes, rows,
        }, ExperimentSpecJson.Options));
        Console.WriteLine(F($"wrote {arguments.Output} after {clock.Elapsed.TotalMinutes:0.0} min"));
        return 0;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
