using System.Globalization;
using GreenTrain.Trainer.Engine;
using Spectre.Console;

namespace GreenTrain.Trainer.Cli;

/// <summary>Shows progress: a Spectre.Console bar when given one (a terminal), else a plain line per log step and evaluation.</summary>
public sealed class ProgressObserver(TextWriter plain, ProgressTask? bar) : ITrainingObserver
{
    public void Observe(TrainingEvent trainingEvent, TrainingState state)
    {
        if (trainingEvent == TrainingEvent.FitStart && bar is not null)
        {
            bar.MaxValue = state.TotalSteps;
        }

        if (trainingEvent == TrainingEvent.StepEnd && state.IsLogStep)
        {
            var rate = state.TrainingSeconds > 0 ? $" {state.ExamplesSeen / state.TrainingSeconds:0} ex/s" : "";
            var line = string.Create(CultureInfo.InvariantCulture, $"step {state.Step}/{state.TotalSteps} epoch {state.Sampler.EpochsDone:0.00} loss {state.TrainLoss:0.####} lr {state.LearningRate:0.#####}");
            if (bar is not null)
            {
                bar.Value = state.Step;
                bar.Description = Markup.Escape(line);
            }
            else
            {
                plain.WriteLine(line);
            }
        }

        if (trainingEvent == TrainingEvent.EvaluationEnd)
        {
            var e = state.Evaluations[^1];
            var accuracy = e.Accuracy is { } a ? string.Create(CultureInfo.InvariantCulture, $" accuracy {a:P2}") : "";
            var line = string.Create(CultureInfo.InvariantCulture, $"eval step {e.Step}: val loss {e.Loss:0.####}{accuracy}");
            if (bar is null) plain.WriteLine(line);
            else AnsiConsole.MarkupLine(Markup.Escape(line));
        }
    }
}
