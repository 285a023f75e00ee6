using PadKernel.Alignment;

namespace PadKernel.Preferences.Tests;

/// <summary>
/// The <see cref="IPreferenceStore"/> contract, one suite run against every implementation (in memory, SQLite,
/// PostgreSQL). <see cref="OpenAnother"/> gives a second instance over the same data (another connection pool, as
/// another process would have), so the concurrency tests cross instances where a store can be shared.
/// </summary>
public abstract class PreferenceStoreContract
{
    protected abstract IPreferenceStore Store { get; }

    /// <summary>Opens another instance over the same data (the same instance for a store that cannot be shared).</summary>
    protected abstract IPreferenceStore OpenAnother();

    private static string[] Texts(IEnumerable<StoredPreference> list) => [.. list.Select(p => p.Text)];

    [StoreFact]
    public async Task Set_list_update_remove_and_clear()
    {
        StoredPreference first = await Store.SetAsync("alice", "Keep answers short.", 1f);
        StoredPreference second = await Store.SetAsync("alice", "Use simple words.", 0.5f);
        Assert.Equal(["Keep answers short.", "Use simple words."], Texts(await Store.ListAsync("alice")));

        // The same text (case and surrounding space aside) updates the weight and keeps the id and creation time.
        StoredPreference updated = await Store.SetAsync("alice", "  keep ANSWERS short. ", 2f);
        Assert.Equal(first.Id, updated.Id);
        Assert.Equal(2f, updated.Weight);
        Assert.Equal(first.CreatedAt, updated.CreatedAt);
        Assert.True(updated.UpdatedAt >= first.UpdatedAt);
        Assert.Equal(2, (await Store.ListAsync("alice")).Count);

        Assert.True(await Store.RemoveAsync("alice", second.Id));
        Assert.False(await Store.RemoveAsync("alice", second.Id));
        Assert.True(await Store.RemoveAsync("alice", "KEEP answers short."));
        Assert.Empty(await Store.ListAsync("alice"));

        await Store.SetAsync("alice", "A", 1f);
        await Store.SetAsync("alice", "B", 1f);
        Assert.Equal(2, await Store.ClearAsync("alice"));
        Assert.Equal(0, await Store.ClearAsync("alice"));
    }

    [StoreFact]
    public async Task Users_are_isolated()
    {
        StoredPreference alice = await Store.SetAsync("alice", "Talk about cats.", 1f);
        await Store.SetAsync("bob", "Talk about dogs.", 1f);

        Assert.Equal(["Talk about cats."], Texts(await Store.ListAsync("alice")));
        Assert.Equal(["Talk about dogs."], Texts(await Store.ListAsync("bob")));

        // Bob cannot remove Alice's preference by its id or its text, nor clear or replace hers.
        Assert.False(await Store.RemoveAsync("bob", alice.Id));
        Assert.False(await Store.RemoveAsync("bob", "Talk about cats."));
        Assert.Equal(1, await Store.ClearAsync("bob"));
        await Store.ReplaceAsync("bob", [new Preference("Talk about birds.")]);
        Assert.Equal([alice], await Store.ListAsync("alice"));

        // The same text for two users is two preferences.
        StoredPreference bobCats = await Store.SetAsync("bob", "Talk about cats.", 3f);
        Assert.NotEqual(alice.Id, bobCats.Id);
        Assert.Equal(1f, Assert.Single(await Store.ListAsync("alice")).Weight);
    }

    [StoreFact]
    public async Task Replace_keeps_matching_items_adds_new_ones_in_order_and_removes_the_rest()
    {
        StoredPreference keep = await Store.SetAsync("carol", "Keep answers short.", 1f);
        StoredPreference drop = await Store.SetAsync("carol", "Use long words.", 1f);

        IReadOnlyList<StoredPreference> result = await Store.ReplaceAsync(
            "carol", [new Preference("Zebras are nice.", 0.25f), new Preference(" keep answers SHORT. ", 3f), new Preference("Apples too.", -1f)]);

        // The kept item first (it is older), with its id and creation time and the new text and weight; then the new ones as given.
        Assert.Equal(["keep answers SHORT.", "Zebras are nice.", "Apples too."], Texts(result));
        Assert.Equal(keep.Id, result[0].Id);
        Assert.Equal(keep.CreatedAt, result[0].CreatedAt);
        Assert.Equal([3f, 0.25f, -1f], result.Select(p => p.Weight));
        Assert.DoesNotContain(result, p => p.Id == drop.Id);
        Assert.Equal(3, result.Select(p => p.Id).Distinct().Count());
        Assert.Equal(result, await OpenAnother().ListAsync("carol"));

        Assert.Empty(await Store.ReplaceAsync("carol", []));
        Assert.Empty(await Store.ListAsync("carol"));
    }

    [StoreFact]
    public async Task Replace_with_bad_input_changes_nothing()
    {
        await Store.ReplaceAsync("dave", [new Preference("One."), new Preference("Two.")]);
        IReadOnlyList<StoredPreference> before = await Store.ListAsync("dave");

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ReplaceAsync("dave", [new Preference("Three."), new Preference(" THREE. ")]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ReplaceAsync("dave", [new Preference("Three."), new Preference("  ")]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ReplaceAsync("dave", [new Preference("Three.", float.PositiveInfinity)]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ReplaceAsync("dave", [new Preference(new string('x', PreferenceText.MaxLength + 1))]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ReplaceAsync(" ", [new Preference("Three.")]));
        await Assert.ThrowsAnyAsync<ArgumentNullException>(() => Store.ReplaceAsync("dave", null!));

        Assert.Equal(before, await Store.ListAsync("dave"));
    }

    [StoreFact]
    public async Task Bad_input_is_rejected()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.SetAsync("", "x", 1f));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.SetAsync("alice", "  ", 1f));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.SetAsync("alice", "x", float.NaN));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.SetAsync("alice", new string('x', PreferenceText.MaxLength + 1), 1f));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ListAsync(" "));
    }

    [StoreFact]
    public async Task Strings_WithControlCharacters_AreRefusedAlike_AndNothingIsStored()
    {
        // PostgreSQL cannot store NUL (22021) while SQLite can: one rule in the core refuses it, and every C0 control
        // but tab and line breaks (and half a surrogate pair), with the same typed exception on every store.
        InvalidCharacterException nul = await Assert.ThrowsAsync<InvalidCharacterException>(() => Store.SetAsync("frank", "A frog\0.", 1f));
        Assert.Equal(("text", 6, '\0'), (nul.Field, nul.Index, nul.Character));
        Assert.Equal("'text' holds the control character U+0000 at position 6; it may hold tabs and line breaks, but no other control characters.", nul.Message);
        Assert.Equal("userId", (await Assert.ThrowsAsync<InvalidCharacterException>(() => Store.SetAsync("fr\0ank", "A frog.", 1f))).Field);
        await Assert.ThrowsAsync<InvalidCharacterException>(() => Store.SetAsync("frank", "A \u001b[31m red frog.", 1f));
        await Assert.ThrowsAsync<InvalidCharacterException>(() => Store.SetAsync("frank", "Half a pair \ud83d here.", 1f));
        await Assert.ThrowsAsync<InvalidCharacterException>(() => Store.ReplaceAsync("frank", [new Preference("Fine."), new Preference("Bell\u0007.")]));
        await Assert.ThrowsAsync<InvalidCharacterException>(() => Store.ReplaceAsync("frank\n", [new Preference("Fine.")]));
        await Assert.ThrowsAsync<InvalidCharacterException>(() => Store.RemoveAsync("frank", "A frog\0."));
        await Assert.ThrowsAsync<InvalidCharacterException>(() => Store.ListAsync("frank\t"));
        await Assert.ThrowsAsync<InvalidCharacterException>(() => Store.ClearAsync("\0"));
        Assert.Empty(await Store.ListAsync("frank"));

        // Tabs, line breaks and characters beyond the basic plane are text.
        StoredPreference kept = await Store.SetAsync("frank", "Line one.\r\nLine\ttwo 🐸.\n", 1f);
        Assert.Equal("Line one.\r\nLine\ttwo 🐸.", kept.Text);
        Assert.Equal([kept], await OpenAnother().ListAsync("frank"));
    }

    [StoreFact]
    public async Task Cancellation_is_honoured()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.SetAsync("alice", "x", 1f, cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.ReplaceAsync("alice", [new Preference("x")], cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.ListAsync("alice", cts.Token));
        Assert.Empty(await Store.ListAsync("alice"));
    }

    [StoreFact]
    public async Task Readers_see_the_old_or_the_new_list_never_a_mix()
    {
        Preference[] first = [new("Talk about cats."), new("Keep it short."), new("Use simple words.")];
        Preference[] second = [new("Talk about dogs.", 2f), new("Make it funny.", 0.5f)];
        string[][] allowed = [[.. first.Select(p => p.Text)], [.. second.Select(p => p.Text)]];
        await Store.ReplaceAsync("erin", first);

        IPreferenceStore other = OpenAnother();
        using var done = new CancellationTokenSource();
        Task writer = Task.Run(async () =>
        {
            for (int i = 0; i < 60; i++)
            {
                await Store.ReplaceAsync("erin", i % 2 == 0 ? second : first);
            }

            await done.CancelAsync();
        });
        var seen = new List<string[]>();
        Task[] readers = [.. Enumerable.Range(0, 3).Select(r => Task.Run(async () =>
        {
            do
            {
                string[] texts = Texts(await (r == 0 ? Store : other).ListAsync("erin"));
                lock (seen)
                {
                    seen.Add(texts);
                }
            }
            while (!done.IsCancellationRequested);
        }))];
        await writer;
        await Task.WhenAll(readers);

        Assert.NotEmpty(seen);
        Assert.All(seen, texts => Assert.Contains(allowed, list => list.SequenceEqual(texts)));
    }

    [StoreFact]
    public async Task Parallel_writers_on_two_instances_lose_and_duplicate_nothing()
    {
        IPreferenceStore[] stores = [Store, OpenAnother()];
        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            IPreferenceStore store = stores[writer % stores.Length];
            string user = "user" + (writer % 4);
            for (int i = 0; i < 20; i++)
            {
                await store.SetAsync(user, $"writer {writer} preference {i}", i);

                // Every writer also updates one shared preference of its user: upserts must not duplicate it.
                await store.SetAsync(user, "shared", writer);
            }
        })));

        for (int user = 0; user < 4; user++)
        {
            IReadOnlyList<StoredPreference> list = await Store.ListAsync("user" + user);
            Assert.Equal((2 * 20) + 1, list.Count);
            Assert.Single(list, p => p.Text == "shared");
            Assert.Equal(list.Count, list.Select(p => p.Id).Distinct().Count());
        }

        // Concurrent replacements of one user's list from both instances: the result is exactly one writer's list.
        Preference[][] lists = [.. Enumerable.Range(0, 6).Select(w => (w % 2 == 0
            ? new Preference[] { new("shared 0", w), new($"only writer {w}", w) }
            : [new("shared 0", w), new("shared 1", w), new($"only writer {w}", w)]))];
        await Task.WhenAll(lists.Select((list, w) => Task.Run(async () =>
        {
            for (int round = 0; round < 5; round++)
            {
                await stores[w % stores.Length].ReplaceAsync("frank", list);
            }
        })));
        IReadOnlyList<StoredPreference> final = await Store.ListAsync("frank");
        Assert.Contains(lists, list => list.Select(p => p.Text).Order().SequenceEqual(final.Select(p => p.Text).Order()) &&
            final.All(p => p.Weight == list[0].Weight));
    }
}
