using System.Text.Json;
using System.Text.Json.Serialization;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.ServiceDefaults.Store.CommandQueue;

/// <summary>
/// The JSON form of a command on the queue. The exact string is the command's identity inside the queue
/// (list element, lease member, holder field), so it is produced once and carried unchanged, never re-serialised.
/// </summary>
public static class CommandPayload
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize(TrainerCommand command) => JsonSerializer.Serialize(command, Options);

    /// <summary>Null when the payload is not a complete command (a foreign or truncated value).</summary>
    public static TrainerCommand? TryDeserialize(string payload)
    {
        try
        {
            var command = JsonSerializer.Deserialize<TrainerCommand>(payload, Options);
            return command is { CommandId.Length: > 0, ExperimentId.Length: > 0 } && Enum.IsDefined(command.Kind) ? command : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
