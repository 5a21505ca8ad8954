using Microsoft.Extensions.Logging;

namespace GreenTrain.Trainer.Logging;

/// <summary>The Trainer's log messages, one source-generated method each.</summary>
public static partial class TrainerLog
{
    [LoggerMessage(1, LogLevel.Information, "Training finished after {Steps} steps: {Reason}")]
    public static partial void TrainingFinished(ILogger logger, long steps, string reason);

    [LoggerMessage(2, LogLevel.Warning, "fp16 gradients overflowed at step {Step} with loss scale {Scale}; step skipped and scale lowered")]
    public static partial void LossScaleOverflow(ILogger logger, long step, double scale);

    [LoggerMessage(3, LogLevel.Information, "Loaded LibTorch from {Folder}")]
    public static partial void LibTorchLoaded(ILogger logger, string folder);
}
