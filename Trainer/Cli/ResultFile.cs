using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Engine;

namespace GreenTrain.Trainer.Cli;

/// <summary>DIR/result.json: the result in the spec's JSON conventions, written to a temporary file and renamed so a reader never sees half of it.</summary>
public static class ResultFile
{
    public const string FileName = "result.json";

    public static void Write(string folder, TrainingResult result)
    {
        var path = Path.Combine(folder, FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(result, ExperimentSpecJson.Options));
        File.Move(temporary, path, overwrite: true);
    }

    public static TrainingResult Read(string folder) =>
        JsonSerializer.Deserialize<TrainingResult>(File.ReadAllText(Path.Combine(folder, FileName)), ExperimentSpecJson.Options)
        ?? throw new InvalidDataException($"{folder}/{FileName} is empty");
}
