namespace GreenTrain.Trainer.Engine;

/// <summary>
/// The points of the training loop where methods act and observers look, in the order
/// TrainingLoop.Run raises them (nanoGPT's order, Composer's idea of events):
/// <code>
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
///         forward, loss (divided by accumulationSteps)
///         AfterLoss                         methods may scale the loss (fp16 loss scaling)
///         backward
///         AfterBackward                     methods move compute gradients into the master gradients
///     BeforeClip                            methods unscale and look for overflow (may set SkipStep)
///     clip the global gradient norm
///     BeforeOptimizerStep
///     optimizer step, unless SkipStep
///     AfterOptimizerStep                    methods refresh compute weights, update the loss scale
///     zero the gradients
///     StepEnd                               observers: progress, throughput, checkpoint due
/// EvaluationStart, final evaluation, EvaluationEnd (unless the last step just evaluated)
/// FitEnd                                    observers see the final state (TrainingSession then scores the test split)
/// </code>
/// </summary>
public enum TrainingEvent
{
    FitStart,
    StepStart,
    EvaluationStart,
    EvaluationEnd,
    BatchStart,
    AfterLoss,
    AfterBackward,
    BeforeClip,
    BeforeOptimizerStep,
    AfterOptimizerStep,
    StepEnd,
    FitEnd,
}
