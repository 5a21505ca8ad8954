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
        var teacherSteps = CliOptions.Int("--teacher-steps", "optimizer steps of each teacher's run", 400, min: 20);
        var studentSteps = CliOptions.Int("--student-steps", "optimizer steps of each student's run (scratch and distilled alike)", 300, min: 20);
        var workloads = new Option<string>("--workloads") { Description = "cnn, gpt or cnn,gpt", HelpName = "LIST", DefaultValueFactory = _ => "cnn,gpt" };
        workloads.AcceptOnlyFromAmong("cnn", "gpt", "cnn,gpt", "gpt,cnn");
        var cnnSettings = Settings("--cnn-settings", "the CNN's distilled students, alpha:temperature each", "0.5:4");
        var gptSettings = Settings("--gpt-settings", "the GPT's distilled students, alpha:temperature each", "0.5:2");
        var output = new Option<string>("--output") { Description = "results file (JSON)", HelpName = "FILE", DefaultValueFactory = _ => Path.Combine("artifacts", "benchmarks", "distill.json") };
        var command = new Command("distill", "Train a teacher, then a student of a quarter of its size from scratch and distilled, side by side.")
        {
            device, libTorch, fashion, text, teacherSteps, studentSteps, workloads, cnnSettings, gptSettings, output,
        };
        command.SetAction((p, _) => DistillBenchmark.RunAsync(new DistillArguments(p.GetValue(device), p.GetValue(libTorch), p.GetValue(fashion)!,
            p.GetValue(text)!, p.GetValue(teacherSteps), p.GetValue(studentSteps), p.GetValue(workloads)!, p.GetValue(output)!)
        {
            CnnSettings = DistillSetting.ParseList(p.GetValue(cnnSettings)!)!, GptSettings = DistillSetting.ParseList(p.GetValue(gptSettings)!)!,
        }));
        return command;
    }

    private static Option<string> Settings(string name, string description, string fallback)
    {
        var option = new Option<string>(name) { Description = $"{description} (default {fallback})", HelpName = "A:T,...", DefaultValueFactory = _ => fallback };
        option.Validators.Add(result =>
        {
            if (DistillSetting.ParseList(result.GetValueOrDefault<string>() ?? "") is null)
                result.AddError($"{name} must be alpha:temperature pairs, alpha in [0, 1] and temperature > 0, e.g. 0.5:4,0.9:2");
        });
        return option;
    }
}
