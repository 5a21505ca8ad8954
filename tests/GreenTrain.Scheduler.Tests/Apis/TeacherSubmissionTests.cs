using System.Net;
using System.Text;
using System.Text.Json;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Time.Testing;

namespace GreenTrain.Scheduler.Tests.Apis;

/// <summary>A distillation entry is checked at submission: its settings, the teacher experiment's existence, the teacher files' place.</summary>
public class TeacherSubmissionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(SchedulerHost host, string body)
    {
        var response = await host.Client.PostAsync("/experiments", new StringContent(body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static string Student(string teacher, string extra = "") =>
        $$"""{ "name": "student", "training": { "methods": [ { "kind": "distillation", "teacher": {{teacher}} {{extra}} } ] } }""";

    [Fact]
    public async Task An_unknown_teacher_experiment_a_bad_alpha_and_a_bad_temperature_are_a_400_naming_each()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now));

        var (status, body) = await PostAsync(host, Student("""{ "experiment": "exp-nobody" }""", """, "alpha": 1.2, "temperature": 0"""));

        status.Should().Be(HttpStatusCode.BadRequest);
        var errors = body.GetProperty("errors");
        errors.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(
            "$.training.methods[0].teacher.experiment", "$.training.methods[0].alpha", "$.training.methods[0].temperature");
        errors.GetProperty("$.training.methods[0].teacher.experiment")[0].GetString().Should().Be("there is no experiment 'exp-nobody' in the store");
    }

    [Fact]
    public async Task A_student_of_a_submitted_teacher_is_accepted()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now));
        var (teacherStatus, teacher) = await PostAsync(host, """{ "name": "teacher" }""");
        teacherStatus.Should().Be(HttpStatusCode.Created);

        var (status, _) = await PostAsync(host, Student($$"""{ "experiment": "{{teacher.GetProperty("id").GetString()}}" }"""));

        status.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Teacher_files_outside_the_data_roots_are_refused_naming_the_setting_not_the_file()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now));

        var (status, body) = await PostAsync(host, Student("""{ "modelFile": "/etc/ssh" }"""));

        status.Should().Be(HttpStatusCode.BadRequest);
        var message = body.GetProperty("errors").GetProperty("$.training.methods[0].teacher.modelFile")[0].GetString();
        message.Should().Contain("Data:Roots").And.NotContain("exist");
    }
}
