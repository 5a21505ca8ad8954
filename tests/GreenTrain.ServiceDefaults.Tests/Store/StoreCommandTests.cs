using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Testing.Store;
using StackExchange.Redis;

namespace GreenTrain.ServiceDefaults.Tests.Store;

/// <summary>
/// The commands DESIGN.md allows, run against a real redis-server and the embedded Garnet alike:
/// whatever a service does with the store must work on both.
/// </summary>
public sealed class StoreCommandTests
{
    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Strings_and_hashes_round_trip(string kind)
    {
        await using var server = await StoreServers.StartAsync(kind);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var db = connection.GetDatabase();

        await db.StringSetAsync("greentrain:test:s", "value");
        (await db.StringIncrementAsync("greentrain:test:n", 5)).Should().Be(5);
        await db.HashSetAsync("greentrain:test:h", [new("a", "1"), new("b", "2")]);

        ((string?)await db.StringGetAsync("greentrain:test:s")).Should().Be("value");
        (await db.HashGetAllAsync("greentrain:test:h")).ToStringDictionary()
            .Should().BeEquivalentTo(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Lists_move_items_reliably_with_LMOVE_and_BLMOVE(string kind)
    {
        await using var server = await StoreServers.StartAsync(kind);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var db = connection.GetDatabase();

        await db.ListLeftPushAsync("greentrain:test:queue", ["first", "second"]);
        var moved = await db.ListMoveAsync("greentrain:test:queue", "greentrain:test:processing", ListSide.Right, ListSide.Left);
        var blocked = await db.ExecuteAsync("BLMOVE", "greentrain:test:queue", "greentrain:test:processing", "RIGHT", "LEFT", "1");

        ((string?)moved).Should().Be("first");
        ((string?)blocked).Should().Be("second");
        (await db.ListRangeAsync("greentrain:test:processing")).Select(v => (string?)v).Should().Equal("second", "first");
        (await db.ListLengthAsync("greentrain:test:queue")).Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Sorted_sets_order_by_score(string kind)
    {
        await using var server = await StoreServers.StartAsync(kind);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var db = connection.GetDatabase();

        await db.SortedSetAddAsync("greentrain:test:z", [new("late", 30), new("early", 10), new("middle", 20)]);

        (await db.SortedSetRangeByScoreAsync("greentrain:test:z", 0, 25)).Select(v => (string?)v).Should().Equal("early", "middle");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Transactions_apply_all_or_nothing_under_WATCH(string kind)
    {
        await using var server = await StoreServers.StartAsync(kind);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var db = connection.GetDatabase();
        await db.StringSetAsync("greentrain:test:version", "1");

        var stale = db.CreateTransaction();
        stale.AddCondition(Condition.StringEqual("greentrain:test:version", "0"));
        _ = stale.StringSetAsync("greentrain:test:version", "2");
        var fresh = db.CreateTransaction();
        fresh.AddCondition(Condition.StringEqual("greentrain:test:version", "1"));
        _ = fresh.StringSetAsync("greentrain:test:version", "2");
        _ = fresh.StringSetAsync("greentrain:test:other", "set");

        (await stale.ExecuteAsync()).Should().BeFalse();
        (await fresh.ExecuteAsync()).Should().BeTrue();
        ((string?)await db.StringGetAsync("greentrain:test:other")).Should().Be("set");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Lua_scripts_run_atomically(string kind)
    {
        await using var server = await StoreServers.StartAsync(kind);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var db = connection.GetDatabase();

        var result = await db.ScriptEvaluateAsync(
            "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('INCRBY', KEYS[2], ARGV[2])",
            ["greentrain:test:lua", "greentrain:test:counter"], ["written", 7]);

        ((long)result).Should().Be(7);
        ((string?)await db.StringGetAsync("greentrain:test:lua")).Should().Be("written");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Pub_sub_wakes_a_subscriber(string kind)
    {
        await using var server = await StoreServers.StartAsync(kind);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var channel = RedisChannel.Literal("greentrain:test:wake");
        await connection.GetSubscriber().SubscribeAsync(channel, (_, message) => received.TrySetResult(message!));

        await connection.GetSubscriber().PublishAsync(channel, "go");

        (await received.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("go");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Data_survives_a_restart_of_the_server(string kind)
    {
        await using var server = await StoreServers.StartAsync(kind);
        await using (var before = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString))
        {
            var db = before.GetDatabase();
            await db.StringSetAsync("greentrain:test:kept", "still here");
            await db.HashSetAsync("greentrain:test:kept-hash", "field", "value");
            await db.ListRightPushAsync("greentrain:test:kept-list", ["a", "b"]);
        }

        await server.RestartAsync();

        await using var after = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var reread = after.GetDatabase();
        ((string?)await reread.StringGetAsync("greentrain:test:kept")).Should().Be("still here");
        ((string?)await reread.HashGetAsync("greentrain:test:kept-hash", "field")).Should().Be("value");
        (await reread.ListRangeAsync("greentrain:test:kept-list")).Select(v => (string?)v).Should().Equal("a", "b");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_store_client_names_the_server_it_talks_to(string kind)
    {
        await using var server = await StoreServers.StartAsync(kind);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var store = new GreenTrainStore(connection);

        var detected = await store.GetKindAsync();
        var latency = await store.RoundTripAsync("tests");

        detected.ToString().ToLowerInvariant().Should().Be(kind);
        latency.Should().BePositive();
    }

    public static TheoryData<string> Kinds => StoreServers.Kinds;
}
