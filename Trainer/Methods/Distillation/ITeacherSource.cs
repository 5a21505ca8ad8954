using GreenTrain.Trainer.Data;

namespace GreenTrain.Trainer.Methods.Distillation;

/// <summary>Loads a finished experiment's trained network as a teacher (the worker's: from the experiment's newest checkpoint in the store).</summary>
public interface ITeacherSource
{
    /// <param name="path">The JSON path of teacher.experiment, for errors (TeacherUnavailableException).</param>
    /// <param name="studentData">The student's data set: a stored teacher is rebuilt to its shape, classes or vocabulary.</param>
    Teacher Load(string experimentId, string path, ITrainingData studentData);
}
