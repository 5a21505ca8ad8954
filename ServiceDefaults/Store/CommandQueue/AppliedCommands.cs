using System.Globalization;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.ServiceDefaults.Store.CommandQueue;

/// <summary>
/// What the store remembers of applied commands (written by <see cref="CommandConsumer.AcknowledgeAsync"/>):
/// a per-command marker with an expiry, and per experiment the newest applied command. A command may be
/// delivered more than once (a lease expired while its worker was slow); this is how the second copy is
/// recognised, and how a stale command (a pause issued before an already applied resume) is not applied.
/// </summary>
public sealed class AppliedCommands(GreenTrainStore store)
{
    public async Task<CommandDisposition> GetDispositionAsync(TrainerCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var batch = store.Database.CreateBatch();
        var applied = batch.KeyExistsAsync(StoreKeys.CommandApplied(command.CommandId));
        var last = batch.HashGetAsync(StoreKeys.CommandsLastApplied, command.ExperimentId);
        batch.Execute();
        if (await applied)
        {
            return CommandDisposition.Duplicate;
        }
        var newest = await last;
        if (newest.HasValue && TryParseIssuedAt((string)newest!, out var newestIssuedMs)
            && newestIssuedMs > command.IssuedAt.ToUnixTimeMilliseconds())
        {
            return CommandDisposition.Superseded;
        }
        return CommandDisposition.New;
    }

    /// <summary>The id of the newest command applied to <paramref name="experimentId"/>, or null if none is remembered.</summary>
    public async Task<string?> GetLastAppliedCommandIdAsync(string experimentId)
    {
        var value = (string?)await store.Database.HashGetAsync(StoreKeys.CommandsLastApplied, experimentId);
        var separator = value?.IndexOf(':') ?? -1;
        return separator < 0 ? null : value![(separator + 1)..];
    }

    // The value is "issuedAtUnixMs:commandId", as the acknowledge script writes it.
    private static bool TryParseIssuedAt(string value, out long issuedMs)
    {
        var separator = value.IndexOf(':');
        return long.TryParse(separator < 0 ? value : value[..separator], NumberStyles.None, CultureInfo.InvariantCulture, out issuedMs);
    }
}
