using System.ComponentModel.DataAnnotations;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.CommandQueue;

namespace GreenTrain.ServiceDefaults.Tests.Store.CommandQueue;

public sealed class CommandQueueOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        Validate(new CommandQueueOptions()).Should().BeEmpty();
    }

    [Fact]
    public void Heartbeat_that_could_miss_the_lease_is_rejected_naming_both_keys()
    {
        var errors = Validate(new CommandQueueOptions { LeaseDuration = TimeSpan.FromSeconds(10), HeartbeatInterval = TimeSpan.FromSeconds(6) });

        errors.Should().ContainSingle().Which.ErrorMessage.Should().Contain("CommandQueue:HeartbeatInterval").And.Contain("CommandQueue:LeaseDuration");
    }

    [Theory]
    [InlineData("")]
    [InlineData("eu west")]
    [InlineData("eu:west")]
    [InlineData("eu*")]
    public void Region_that_would_make_a_bad_key_is_rejected(string region)
    {
        var build = () => StoreKeys.QueuePending(region);

        build.Should().Throw<ArgumentException>().WithMessage("*not a valid region*");
    }

    private static List<ValidationResult> Validate(CommandQueueOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
