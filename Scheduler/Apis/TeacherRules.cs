using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Contracts.Methods;
using GreenTrain.Scheduler.Experiments;

namespace GreenTrain.Scheduler.Apis;

/// <summary>
/// A distillation teacher named by experiment id must be an experiment this store knows: a misspelt id is a 400 at
/// submission, not a failed run hours later. Whether it has finished is the worker's check when the student starts,
/// so a student may be queued behind its teacher.
/// </summary>
public static class TeacherRules
{
    public static async Task<List<SpecError>> CheckAsync(ExperimentSpec? spec, ExperimentStore experiments)
    {
        var errors = new List<SpecError>();
        var methods = spec?.Training?.Methods ?? [];
        for (var i = 0; i < methods.Count; i++)
        {
            if (methods[i] is DistillationSpec { Teacher.Experiment: { } id } && await experiments.GetAsync(id) is null)
            {
                errors.Add(new SpecError($"$.training.methods[{i}].teacher.experiment", $"there is no experiment '{id}' in the store"));
            }
        }
        return errors;
    }
}
