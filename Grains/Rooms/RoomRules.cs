using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;

namespace Grains.Rooms;

/// <summary>Input checks of room operations; each failure is a <see cref="RoomErrorCode.Invalid"/>.</summary>
internal static class RoomRules
{
    public const int MaxMetadataLength = 4096;
    public const int MaxCodecLength = 64;
    public const int MaxSsrcs = 16;
    public const int MaxReasonLength = 256;
    public const int MaxPageSize = 1000;

    public static void Id(string? value, string what)
    {
        if (!RoomIds.IsValid(value))
            throw Invalid($"{what} must be 1-{RoomIds.MaxLength} characters of A-Z a-z 0-9 . _ -");
    }

    public static void Options(RoomOptions? options)
    {
        if (options is null)
            throw Invalid("options are required.");
        if (options.MaxParticipants < 0 || options.MaxPublishers < 0)
            throw Invalid("limits must not be negative.");
        if (options.EmptyTimeout < TimeSpan.Zero)
            throw Invalid("emptyTimeout must not be negative.");
        if (options.KickBan < TimeSpan.Zero || options.KickBan > TimeSpan.FromDays(365))
            throw Invalid("kickBan must be from zero to 365 days.");
        Metadata(options.Metadata);
    }

    public static void Join(JoinRequest? request)
    {
        if (request is null)
            throw Invalid("a join request is required.");
        Id(request.Identity, "identity");
        if ((request.Permissions & ~(ParticipantPermissions.Publish | ParticipantPermissions.Subscribe)) != 0)
            throw Invalid("unknown permission.");
        Metadata(request.Metadata);
    }

    public static void Publish(PublishRequest? request)
    {
        if (request is null)
            throw Invalid("a publish request is required.");
        Id(request.PublisherIdentity, "publisher identity");
        Id(request.StreamId, "stream id");
        if (request.Kind is not (StreamKind.Audio or StreamKind.Video))
            throw Invalid("kind must be audio or video.");
        if (string.IsNullOrEmpty(request.Codec) || request.Codec.Length > MaxCodecLength)
            throw Invalid($"codec must be 1-{MaxCodecLength} characters.");
        if (!request.Ssrcs.IsDefault && request.Ssrcs.Length > MaxSsrcs)
            throw Invalid($"at most {MaxSsrcs} SSRCs per stream.");
        if (request.OriginSilo is null || request.OriginSilo.Length > 256)
            throw Invalid("origin silo must be at most 256 characters.");
    }

    public static void Reason(string? reason)
    {
        if (reason is not null && reason.Length > MaxReasonLength)
            throw Invalid($"reason must be at most {MaxReasonLength} characters.");
    }

    public static void Page(long afterSequence, int limit)
    {
        if (afterSequence < 0)
            throw Invalid("after must not be negative.");
        if (limit is < 1 or > MaxPageSize)
            throw Invalid($"limit must be 1-{MaxPageSize}.");
    }

    private static void Metadata(string? metadata)
    {
        if (metadata is not null && metadata.Length > MaxMetadataLength)
            throw Invalid($"metadata must be at most {MaxMetadataLength} characters.");
    }

    private static RoomException Invalid(string message) => new(RoomErrorCode.Invalid, message);
}
