namespace GreenTrain.Trainer.Engine;

/// <summary>
/// The points of a run where methods act and observers look, in the order they are raised
/// (nanoGPT's loop order, Composer's idea of events). Methods run before observers at every event;
/// at the After/End events methods run in reverse order, so they unwind like nested scopes
/// (the last method to change something before is the first to see it after).
/// <code>
/// Init                                      TrainingSession.Prepare, before the parameters are flattened and the
///                                           optimizer made: model surgery (quantization hooks, layer swaps)
/// AfterLoad                                 after a checkpoint restore: methods have their sections back
/// FitStart                                  methods set up (mixed precision casts the model)
/// while step &lt; total and nothing asked to stop:
///     StepStart                             learning rate set from the schedule
///     if an evaluation is due:
///         EvaluationStart
///         evaluate on the validation split
///         EvaluationEnd                     early stopping and target decide; metrics recorded
///         stop here if asked
///     repeat accumulationSteps times:
///         BatchStart                        batch fetched; methods may change its inputs
///         forward                           state.Outputs = model(input)
///         AfterForward                      methods may read or replace the outputs (a teacher's forward)
///         BeforeLoss                        methods may replace state.Criterion for this batch
///         loss = Criterion(outputs, batch) / accumulationSteps
///         AfterLoss                         methods may replace the loss (add terms); this is what is logged
///         BeforeBackward                    methods may scale the loss for backward only (fp16 loss scaling)
///         backward
///         AfterBackward                     methods move compute gradients into the master gradients
///     BeforeClip                            methods unscale and look for overflow (may set SkipStep)
///     clip the global gradient norm
///     BeforeOptimizerStep
///     optimizer step, unless SkipStep
///     AfterOptimizerStep                    methods re-apply masks, refresh compute weights, update the loss scale
///     zero the gradients
///     StepEnd                               observers: progress, throughput, checkpoint due
/// EvaluationStart, final evaluation, EvaluationEnd (unless the last step just evaluated)
/// FitEnd                                    methods report (sparsity, int8 export); observers see the final state
/// </code>
/// </summary>
public enum TrainingEvent
{
    Init,
    AfterLoad,
    FitStart,
    StepStart,
    EvaluationStart,
    EvaluationEnd,
    BatchStart,
    AfterForward,
    BeforeLoss,
    AfterLoss,
    BeforeBackward,
    AfterBackward,
    BeforeClip,
    BeforeOptimizerStep,
    AfterOptimizerStep,
    StepEnd,
    FitEnd,
}

public static class TrainingEventExtensions
{
    /// <summary>The events that close something a method may have opened: methods run in reverse order at these.</summary>
    public static bool IsAfter(this TrainingEvent trainingEvent) => trainingEvent is
        TrainingEvent.AfterLoad or TrainingEvent.AfterForward or TrainingEvent.AfterLoss or TrainingEvent.AfterBackward
        or TrainingEvent.AfterOptimizerStep or TrainingEvent.EvaluationEnd or TrainingEvent.StepEnd or TrainingEvent.FitEnd;
}
