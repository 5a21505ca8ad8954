namespace GreenTrain.Trainer.Methods.Distillation;

/// <summary>Loads a finished experiment's trained network as a teacher (the worker's: from the experiment's newest checkpoint in the store).</summary>
public interface ITeacherSource
{
    /// <param name="path">The JSON path of teacher.experiment, for errors (TeacherUnavailableException).</param>
    Teacher Load(string experimentId, string path);
}
