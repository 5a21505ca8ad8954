using GreenTrain.Scheduler.Experiments;
using Microsoft.Extensions.Options;

namespace GreenTrain.Scheduler.Apis;

/// <summary>
/// Safe by default: outside Development (the local loop's launch profile) the API is reachable from the network,
/// so the Scheduler refuses to start without Scheduler:ApiKey rather than serve /experiments to anyone.
/// </summary>
public sealed class ApiKeyRequired(IHostEnvironment environment) : IValidateOptions<SchedulerOptions>
{
    /// <summary>Shorter keys can be guessed; the AppHost's generated key has 32 characters.</summary>
    public const int MinimumLength = 16;

    public ValidateOptionsResult Validate(string? name, SchedulerOptions options)
    {
        if (string.IsNullOrEmpty(options.ApiKey))
        {
            return environment.IsDevelopment()
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"Scheduler:ApiKey is required outside Development (environment '{environment.EnvironmentName}'): "
                    + "set Scheduler__ApiKey, e.g. from the AppHost's scheduler-api-key secret.");
        }
        return options.ApiKey.Length >= MinimumLength
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Scheduler:ApiKey must have at least {MinimumLength} characters.");
    }
}
