using System.Globalization;
using GreenTrain.Trainer.Engine;
using Spectre.Console;

namespace GreenTrain.Trainer.Cli;

/// <summary>The end-of-run summary as a table (Spectre.Console draws it plainly when output is not a terminal).</summary>
public static class SummaryTable
{
    public static Table Build(TrainingResult r)
    {
        var table = new Table().Title($"GreenTrain: {Markup.Escape(r.Name)}").AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        var p = r.Performance;
        Row("stopped because", r.StopReason);
        Row("steps / epochs", F($"{r.Steps} / {r.Epochs:0.00}"));
        if (r.Final is { } final) Row("final validation", Score(final.Loss, final.Accuracy));
        if (r.Best is { } best) Row($"best validation (step {best.Step})", Score(best.Loss, best.Accuracy));
        Row("test", Score(r.Test.Loss, r.Test.Accuracy));
        Row("samples/s", F($"{p.SamplesPerSecond:N0}"));
        if (p.TokensPerSecond is { } tokens) Row("tokens/s", F($"{tokens:N0}"));
        Row("model FLOPs/step", F($"{p.FlopsPerStep:0.###e+0}"));
        Row("achieved TFLOP/s", F($"{p.AchievedTflops:0.####}"));
        Row("MFU", p.Mfu is { } mfu ? F($"{mfu:P1} of {p.PeakTflops} TFLOP/s") : "n/a (give --peak-tflops)");
        Row("peak memory", p.PeakMemoryBytes is { } bytes ? F($"{bytes / 1048576.0:N0} MiB ({p.PeakMemorySource})") : p.PeakMemorySource);
        Row("wall time", F($"{r.DurationSeconds:0.0} s (training {p.TrainingSeconds:0.0} s)"));
        Row("device / precision", $"{r.Device} / {r.Precision.ToString().ToLowerInvariant()}{(r.AllowTf32 ? " +tf32" : "")}");
        if (r.SkippedSteps > 0) Row("fp16 skipped steps", F($"{r.SkippedSteps}"));
        foreach (var (name, report) in r.Methods) Row($"method {name}", report.ToJsonString());
        return table;
    }

    private static string Score(double loss, double? accuracy) =>
        F($"loss {loss:0.####}") + (accuracy is { } a ? F($", accuracy {a:P2}") : "");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
