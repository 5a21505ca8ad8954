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
        var cnnAlpha = CliOptions.Number("--cnn-alpha", "the CNN's weight of the teacher's term", 0.5, min: 0, max: 1);
        var cnnTemperature = CliOptions.Number("--cnn-temperature", "the CNN's softmax temperature", 4, min: double.Epsilon);
        var gptAlpha = CliOptions.Number("--gpt-alpha", "the GPT's weight of the teacher's term", 0.5, min: 0, max: 1);
        var gptTemperature = CliOptions.Number("--gpt-temperature", "the GPT's softmax temperature", 2, min: double.Epsilon);
        var output = new Option<string>("--output") { Description = "results file (JSON)", HelpName = "FILE", DefaultValueFactory = _ => Path.Combine("artifacts", "benchmarks", "distill.json") };
        var command = new Command("distill", "Train a teacher, then a student of a quarter of its size from scratch and distilled, side by side.")
        {
            device, libTorch, fashion, text, teacherSteps, studentSteps, workloads, cnnAlpha, cnnTemperature, gptAlpha, gptTemperature, output,
        };
        command.SetAction((p, _) => DistillBenchmark.RunAsync(new DistillArguments(p.GetValue(device), p.GetValue(libTorch), p.GetValue(fashion)!,
            p.GetValue(text)!, p.GetValue(teacherSteps), p.GetValue(studentSteps), p.GetValue(workloads)!, p.GetValue(output)!)
        {
            CnnAlpha = p.GetValue(cnnAlpha), CnnTemperature = p.GetValue(cnnTemperature), GptAlpha = p.GetValue(gptAlpha), GptTemperature = p.GetValue(gptTemperature),
        }));
        return command;
    }
}
