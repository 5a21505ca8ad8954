namespace GreenTrain.Trainer.Data;

/// <summary>The data a spec names is not where it says; the message tells the user how to get it (CLI exit code 2).</summary>
public sealed class DataSetNotFoundException(string message) : Exception(message);
