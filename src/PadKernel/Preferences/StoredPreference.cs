namespace PadKernel.Preferences;

/// <summary>A preference kept for a user between requests.</summary>
/// <param name="Id">The store's id for it, stable across updates.</param>
/// <param name="Text">The preference text.</param>
/// <param name="Weight">The weight PAD gives it.</param>
/// <param name="CreatedAt">When it was first stored.</param>
/// <param name="UpdatedAt">When it was last changed.</param>
public sealed record StoredPreference(string Id, string Text, float Weight, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
