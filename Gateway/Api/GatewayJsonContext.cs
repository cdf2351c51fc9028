using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Api;

/// <summary>
/// Source-generated JSON metadata for every API shape: no reflection at run time, camelCase names,
/// nulls omitted. Unknown request members are refused so that a misspelt field is a 400, not ignored.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(CreateRoomRequest))]
[JsonSerializable(typeof(RoomDto))]
[JsonSerializable(typeof(RoomListDto))]
[JsonSerializable(typeof(JoinRoomRequest))]
[JsonSerializable(typeof(ParticipantDto))]
[JsonSerializable(typeof(ParticipantListDto))]
[JsonSerializable(typeof(RoomNotificationDto))]
[JsonSerializable(typeof(RoomSocketTicketDto))]
[JsonSerializable(typeof(PublishStreamRequest))]
[JsonSerializable(typeof(StreamDto))]
[JsonSerializable(typeof(StreamListDto))]
[JsonSerializable(typeof(SubscriptionDto))]
[JsonSerializable(typeof(RoomEventPageDto))]
[JsonSerializable(typeof(RoomStateDto))]
[JsonSerializable(typeof(HealthDto))]
[JsonSerializable(typeof(NodeListDto))]
[JsonSerializable(typeof(BestNodeDto))]
[JsonSerializable(typeof(RouteListDto))]
[JsonSerializable(typeof(StartRecordingRequest))]
[JsonSerializable(typeof(RecordingDto))]
[JsonSerializable(typeof(RecordingListDto))]
[JsonSerializable(typeof(Ops.OpsSessionListDto))]
[JsonSerializable(typeof(ProblemDetails))]
public sealed partial class GatewayJsonContext : JsonSerializerContext;
