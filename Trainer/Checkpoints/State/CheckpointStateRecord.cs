using System.Text.Json;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Engine;

namespace GreenTrain.Trainer.Checkpoints.State;

/// <summary>
/// The "state" section of a checkpoint: the small parts of the training state (positions, counters,
/// history) as JSON, and a description of the binary sections (types and shapes), so a reader never has
/// to guess how the bytes are laid out.
/// </summary>
/// <param name="OptimizerSteps">The optimizer's own step count (AdamW's bias correction).</param>
/// <param name="CudaSeed">The seed the CUDA generators were given when this checkpoint was taken (CUDA runs only).</param>
/// <param name="Methods">The stateful methods whose sections ("method.NAME") the checkpoint holds.</param>
/// <param name="RunId">The run the checkpoint belongs to; a resume keeps it, so its energy windows stay one run.</param>
public sealed record CheckpointStateRecord(
    int FormatVersion,
    long Step,
    long OptimizerSteps,
    long SkippedSteps,
    DataCursor Cursor,
    IReadOnlyList<EvaluationRecord> Evaluations,
    long ExamplesSeen,
    long TargetsSeen,
    double TrainingSeconds,
    double EvaluationSeconds,
    IReadOnlyList<string> ParameterLayout,
    long ParameterCount,
    IReadOnlyList<TensorEntry> OptimizerTensors,
    IReadOnlyList<TensorEntry> Buffers,
    IReadOnlyList<string> Methods,
    long? CudaSeed,
    string Device,
    string? RunId,
    DateTimeOffset WrittenAt)
{
    /// <summary>2: the loss scale moved from this record into the mixed-precision method's own section.</summary>
    public const int CurrentFormatVersion = 2;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static CheckpointStateRecord Parse(byte[] utf8)
    {
        CheckpointStateRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<CheckpointStateRecord>(utf8, Json);
        }
        catch (JsonException ex)
        {
            throw new CheckpointIncompatibleException($"its state section is not readable ({ex.Message})");
        }
        if (record is null || record.FormatVersion != CurrentFormatVersion)
        {
            throw new CheckpointIncompatibleException($"its state section has format {record?.FormatVersion}, this Trainer reads {CurrentFormatVersion}");
        }
        return record;
    }
}

/// <summary>One tensor inside a binary section: its name, element type, shape, and where its bytes are.</summary>
public sealed record TensorEntry(string Name, string DType, long[] Shape, long Offset, long Length);
