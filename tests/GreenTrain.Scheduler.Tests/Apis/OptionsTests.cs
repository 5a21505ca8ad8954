using GreenTrain.Testing.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace GreenTrain.Scheduler.Tests.Apis;

public class OptionsTests
{
    [Theory]
    [InlineData("Carbon:Provider", "electricitymaps", "*Carbon:ElectricityMapsToken is required*")]
    [InlineData("Carbon:Provider", "watttime", "*Carbon:WattTimeUsername and Carbon:WattTimePassword are required*")]
    [InlineData("Scheduler:ApiKey", "", "*Scheduler:ApiKey is required outside Development*")]
    [InlineData("Scheduler:ApiKey", "short", "*Scheduler:ApiKey must have at least 16 characters*")]
    [InlineData("Carbon:CarbonAwareSignal", "mean", "*Carbon:CarbonAwareSignal must be marginal or average*")]
    [InlineData("Carbon:Provider", "sunshine", "*Carbon:Provider must be trace, uk, electricitymaps, watttime or carbonaware*")]
    public async Task A_bad_setting_stops_the_service_at_start_with_a_message_naming_the_key(string key, string value, string message)
    {
        await using var store = await StoreServers.StartAsync("redis");
        var app = SchedulerApp.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:store"] = store.ConnectionString,
            [key] = value,
        }));

        var start = () => app.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Match(message);
        await app.DisposeAsync();
    }
}
