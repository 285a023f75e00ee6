using Microsoft.Extensions.AI;

namespace PadKernel.Extensions.AI.Tests;

public sealed class ConcurrencyTests
{
    private static readonly string[] Preferences =
    [
        "The story is about a dog named Max.", "The story is sad. Everyone cried.", "They ate cake and candy.",
        "The story is about a cat.", "It was raining all day.", "The story happens at the beach.", "Tom is a brave boy.",
        "The sun was hot.", "They played with a red ball.", "The bird could sing.", "Mom baked a pie.", "They went to the park.",
        "The car was fast.", "A big fish swam.", "The tree was tall.", "Lily had a new doll.",
    ];

    [Fact]
    public async Task GetStreamingResponse_SixteenConcurrentStreams_EachEqualsTheSameRequestRunAlone()
    {
        var client = new PadChatClient(StoryModel.Model);
        ChatOptions OptionsFor(int i) => new ChatOptions { MaxOutputTokens = 48 }.WithPadPreferences(new PadPreference(Preferences[i], 1f + (i % 4)));
        string PromptFor(int i) => i % 2 == 0 ? "Once upon a time" : "Lily went to the park";

        var alone = new string[Preferences.Length];
        for (int i = 0; i < alone.Length; i++)
        {
            alone[i] = (await client.GetResponseAsync(PromptFor(i), OptionsFor(i))).Text;
        }

        using var start = new ManualResetEventSlim();
        Task<string>[] concurrent = Enumerable.Range(0, Preferences.Length).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var text = new System.Text.StringBuilder();
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(PromptFor(i), OptionsFor(i)))
            {
                text.Append(update.Text);
            }

            return text.ToString();
        })).ToArray();
        start.Set();
        string[] results = await Task.WhenAll(concurrent);

        Assert.Equal(alone, results);

        // The preferences matter: the requests do not all produce one text.
        Assert.True(alone.Distinct().Count() > 4);
    }
}
