using Grains.Interfaces.Events;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;

namespace Gateway.Api;

/// <summary>Grain records to wire shapes. Enums become lower-case words, time spans whole seconds.</summary>
public static class ApiMapping
{
    public static RoomOptionsDto ToDto(this RoomOptions o) =>
        new(o.MaxParticipants, o.MaxPublishers, (int)Math.Min(int.MaxValue, o.EmptyTimeout.TotalSeconds), o.Metadata,
            (int)Math.Min(int.MaxValue, o.KickBan.TotalSeconds));

    public static RoomDto ToDto(this RoomInfo r) => new(
        r.RoomId, Word(r.Status), r.Options.ToDto(), r.CreatedAt, r.ClosedAt, r.ParticipantCount, r.PublisherCount, r.StreamCount);

    public static ParticipantDto ToDto(this ParticipantInfo p) =>
        new(p.RoomId, p.Identity, Words(p.Permissions), p.JoinedAt, p.Metadata);

    public static StreamDto ToDto(this StreamInfo s) => new(
        s.RoomId, s.StreamId, s.PublisherIdentity, Word(s.Kind), s.Codec, s.Ssrcs.IsDefault ? [] : s.Ssrcs, s.OriginSilo, s.PublishedAt);

    public static SubscriptionDto ToDto(this SubscriptionInfo s) => new(s.RoomId, s.StreamId, s.SubscriberIdentity, s.SubscribedAt);

    public static RoomEventDto ToDto(this RoomEvent e) => new(
        e.Sequence, e.Timestamp, Word(e.Type), e.Identity, e.StreamId, e.Options?.ToDto(),
        e.Permissions is { } p ? Words(p) : null, e.Metadata, e.Kind is { } k ? Word(k) : null, e.Codec,
        e.Ssrcs is { IsDefault: false } ssrcs ? ssrcs : null, e.OriginSilo, e.Reason, e.RecordingId);

    public static RoomEventPageDto ToDto(this RoomEventPage page, string roomId) =>
        new(roomId, page.Events.IsDefault ? [] : page.Events.Select(ToDto).ToArray(), page.NextAfter);

    public static RoomStateDto ToDto(this RoomSnapshot s) => new(
        s.RoomId, Word(s.Status), s.Options.ToDto(), s.LastSequence, s.AsOf,
        s.Participants.IsDefault ? [] : s.Participants.Select(ToDto).ToArray(),
        s.Streams.IsDefault ? [] : s.Streams.Select(ToDto).ToArray(),
        s.Subscriptions.IsDefault ? [] : s.Subscriptions.Select(ToDto).ToArray());

    public static IReadOnlyList<string> Words(ParticipantPermissions p)
    {
        var words = new List<string>(2);
        if (p.HasFlag(ParticipantPermissions.Publish))
            words.Add("publish");
        if (p.HasFlag(ParticipantPermissions.Subscribe))
            words.Add("subscribe");
        return words;
    }

    /// <summary>camelCase of the enum member: "open", "joined", "video".</summary>
    public static string Word<T>(T value) where T : struct, Enum
    {
        string name = value.ToString();
        return name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
    }

    public static bool TryParseKind(string? word, out StreamKind kind)
    {
        switch (word)
        {
            case "audio": kind = StreamKind.Audio; return true;
            case "video": kind = StreamKind.Video; return true;
            default: kind = default; return false;
        }
    }
}
