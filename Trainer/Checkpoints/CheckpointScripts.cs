namespace GreenTrain.Trainer.Checkpoints;

/// <summary>Lua scripts for the checkpoint commit; only commands Redis 7 and Garnet 2.2 both serve.</summary>
internal static class CheckpointScripts
{
    /// <summary>
    /// KEYS: manifest, index, sequence, writing, then every chunk key; ARGV: manifest JSON, checkpoint id.
    /// The commit: only if every chunk is present does it write the manifest and enter the checkpoint in the
    /// index under the next sequence number, all at once. Returns the sequence number, or -1 (nothing written)
    /// when a chunk is missing, for example because a newer writer cleaned up this one as abandoned.
    /// </summary>
    public const string Commit = """
        for i = 5, #KEYS do
          if redis.call('EXISTS', KEYS[i]) == 0 then return -1 end
        end
        redis.call('SET', KEYS[1], ARGV[1])
        local sequence = redis.call('INCR', KEYS[3])
        redis.call('ZADD', KEYS[2], sequence, ARGV[2])
        redis.call('HDEL', KEYS[4], ARGV[2])
        return sequence
        """;
}
