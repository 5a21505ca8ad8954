using System.CommandLine;
using GreenTrain.ServiceDefaults.Cli;

namespace GreenTrain.Benchmarks.Distill;

/// <summary>The `distill` verb's options; the defaults are the CPU-sized run docs/benchmarks.md records.</summary>
public static class DistillCommand
{
    public static Command Create()
    {
        var device = CliOptions.Device(DeviceRequest.Cpu);
        var libTorch = new Option<string?>("--libtorch") { Description = "the external CUDA LibTorch (default: found from python3's torch)", HelpName = "DIR" };
        var fashion = new Option<string>("--fashion") { Description = "Fashion-MNIST IDX files (Debian's dataset-fashion-mnist)", HelpName = "DIR", DefaultValueFactory = _ => "/usr/share/datasets/fashion-mnist" };
        var text = new Option<string>("--text") { Description = "the GPT's corpus (Debian's fortunes)", HelpName = "PATH", DefaultValueFactory = _ => "/usr/share/games/fortunes" };
        var teacherSteps = CliOptions.Int("--teacher-steps", "optimizer steps of each teacher's run", 1500, min: 20);
        // Equal budgets by default (Hinton et al. 2015): a teacher trained longer than its students makes the "gap" partly
        // training length, which no loss can recover at the students' steps.
        var studentSteps = CliOptions.OptionalInt("--student-steps", "optimizer steps of each student's run, scratch and distilled alike (default: --teacher-steps)", min: 20);
        var workloads = new Option<string>("--workloads") { Description = "cnn, gpt or cnn,gpt", HelpName = "LIST", DefaultValueFactory = _ => "cnn,gpt" };
        workloads.AcceptOnlyFromAmong("cnn", "gpt", "cnn,gpt", "gpt,cnn");
        var seeds = new Option<string>("--seeds") { Description = "the students' seeds; the grid runs at the first (default 1,2,3)", HelpName = "LIST", DefaultValueFactory = _ => "1,2,3" };
        seeds.Validators.Add(result =>
        {
            if (DistillSetting.ParseSeeds(result.GetValueOrDefault<string>() ?? "") is null) result.AddError("--seeds must be distinct integers, e.g. 1,2,3");
        });
        var grid = new Option<string>("--grid")
        {
            Description = $"alpha:temperature settings tried at the first seed, chosen by the validation metric (default {DistillSetting.DefaultGrid})",
            HelpName = "A:T,...", DefaultValueFactory = _ => DistillSetting.DefaultGrid,
        };
        grid.Validators.Add(result =>
        {
            if (DistillSetting.ParseList(result.GetValueOrDefault<string>() ?? "") is null)
                result.AddError("--grid must be alpha:temperature pairs, alpha in [0, 1] and temperature > 0, e.g. 0.5:4,1:1");
        });
        var cnnWidths = new Option<string>("--cnn-widths")
        {
            Description = "the CNN teacher's and student's first-stage channels (the second stage has twice as many), e.g. 64:32", HelpName = "T:S",
            DefaultValueFactory = _ => $"{DistillWorkloads.CnnTeacherWidth}:{DistillWorkloads.CnnStudentWidth}",
        };
        cnnWidths.Validators.Add(result =>
        {
            if (ParseWidths(result.GetValueOrDefault<string>() ?? "") is null) result.AddError("--cnn-widths must be two channel counts of at least 4, teacher:student, e.g. 64:32");
        });
        var output = new Option<string>("--output") { Description = "results file (JSON)", HelpName = "FILE", DefaultValueFactory = _ => Path.Combine("artifacts", "benchmarks", "distill.json") };
        var command = new Command("distill", "Train a teacher, then students of a quarter of its size from scratch and distilled over seeds, the setting chosen on validation.")
        {
            device, libTorch, fashion, text, teacherSteps, studentSteps, workloads, seeds, grid, cnnWidths, output,
        };
        command.SetAction((p, _) => DistillBenchmark.RunAsync(new DistillArguments(p.GetValue(device), p.GetValue(libTorch), p.GetValue(fashion)!,
            p.GetValue(text)!, p.GetValue(teacherSteps), p.GetValue(studentSteps) ?? p.GetValue(teacherSteps), p.GetValue(workloads)!, p.GetValue(output)!)
        {
            Seeds = DistillSetting.ParseSeeds(p.GetValue(seeds)!)!, Grid = DistillSetting.ParseList(p.GetValue(grid)!)!,
            CnnWidths = ParseWidths(p.GetValue(cnnWidths)!)!.Value,
        }));
        return command;
    }

    private static (int Teacher, int Student)? ParseWidths(string text)
    {
        var parts = text.Split(':');
        return parts.Length == 2 && int.TryParse(parts[0], out var teacher) && int.TryParse(parts[1], out var student) && teacher >= 4 && student >= 4
            ? (teacher, student) : null;
    }
}
