using System.Globalization;

namespace GreenTrain.ServiceDefaults.Store.Leadership;

/// <summary>
/// One holder's term of a <see cref="StoreLease"/>: the value stored under the lease key, "owner:fence". A script
/// that must act only for the current holder compares the key's value with <see cref="Value"/>
/// (<see cref="Matches"/>): equal means this very term is still in force, not an earlier or later one.
/// </summary>
public sealed record LeaseTerm(string Key, string Owner, long Fence)
{
    public string Value => $"{Owner}:{Fence.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The Lua condition that this term still holds its lease, for scripts given the lease key as KEYS[<paramref name="keyIndex"/>]
    /// and <see cref="Value"/> as ARGV[<paramref name="argIndex"/>].
    /// </summary>
    public static string Matches(int keyIndex, int argIndex) => $"redis.call('GET', KEYS[{keyIndex}]) == ARGV[{argIndex}]";

    public static LeaseTerm Parse(string key, string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && long.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var fence)
            ? new LeaseTerm(key, value[..colon], fence)
            : throw new FormatException($"'{value}' under {key} is not a lease term (owner:fence)");
    }

    public override string ToString() => Value;
}
