using Microsoft.Extensions.AI;
using PadKernel.Evaluation.Judges;

namespace PadKernel.Evaluation.Tests;

/// <summary>The LLM judge through the real OpenAI SDK against a real OpenAI-compatible HTTP endpoint on 127.0.0.1.</summary>
public sealed class OpenAIJudgeTests
{
    [Fact]
    public async Task GradesThroughAnOpenAICompatibleEndpoint()
    {
        using var server = new FakeOpenAIServer("7");
        using IChatClient client = OpenAIJudgeClient.Create(server.Endpoint, "judge-model", apiKey: "secret");
        var judge = new ChatClientJudge(client);

        JudgeScore score = await judge.ScoreAsync(new JudgeInput("Once upon a time", "The story is about a frog.", "A frog jumped into the pond.", 8));

        Assert.Equal(6.0 / 9, score.Score, 12); // grade 7 on the default 1–10 scale
        Assert.Equal(7, score.Metrics["grade"]);
        string request = Assert.Single(server.Requests);
        Assert.Contains("\"model\":\"judge-model\"", request, StringComparison.Ordinal);
        Assert.Contains("The story is about a frog.", request, StringComparison.Ordinal);
        Assert.Contains("A frog jumped into the pond.", request, StringComparison.Ordinal);
        Assert.Equal("Bearer secret", server.Authorization);
    }

    [Fact]
    public async Task AnAnswerWithoutAGradeIsAJudgeResponseError()
    {
        using var server = new FakeOpenAIServer("I cannot grade this.");
        using IChatClient client = OpenAIJudgeClient.Create(server.Endpoint, "judge-model");

        await Assert.ThrowsAsync<JudgeResponseException>(async () =>
            await new ChatClientJudge(client).ScoreAsync(new JudgeInput("p", "pref", "text", 1)));
    }
}
