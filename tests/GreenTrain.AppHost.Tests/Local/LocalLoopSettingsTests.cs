using GreenTrain.AppHost;
using GreenTrain.AppHost.Local;
using Microsoft.Extensions.Configuration;

namespace GreenTrain.AppHost.Tests.Local;

public sealed class LocalLoopSettingsTests
{
    private static LocalLoopSettings From(params (string Key, string Value)[] settings) =>
        LocalLoopSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void With_no_settings_two_regions_replay_fast_and_the_demo_is_on()
    {
        var loop = From();

        loop.Regions.Should().Equal("DE", "FR");
        loop.SpeedUp.Should().Be(LocalLoopSettings.DefaultSpeedUp);
        loop.DemoEnabled.Should().BeTrue();
        loop.TraceStart.Should().Be(LocalLoopSettings.DefaultTraceStart);
    }

    [Fact]
    public void One_setting_turns_the_demo_off_and_regions_are_normalised()
    {
        var loop = From(("Demo:Enabled", "false"), ("Local:Regions:0", "gb"), ("Local:Regions:1", "GB"));

        loop.DemoEnabled.Should().BeFalse();
        loop.Regions.Should().Equal("GB");
    }

    [Theory]
    [InlineData("Local:SpeedUp", "fast")]
    [InlineData("Local:SpeedUp", "0")]
    [InlineData("Demo:Enabled", "maybe")]
    [InlineData("Local:TraceStart", "soon")]
    [InlineData("Local:TraceFiles:DE", "/nowhere/de.csv")]
    public void A_bad_local_setting_is_refused_naming_it(string key, string value)
    {
        var act = () => From((key, value));

        act.Should().Throw<AppHostConfigurationException>().Which.Setting.Should().Be(key);
    }
}
