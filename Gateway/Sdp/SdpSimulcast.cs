namespace Gateway.Sdp;

/// <summary>One simulcast stream of a=simulcast (RFC 8853 §5.1): its RID, paused when written with '~'.</summary>
public sealed record SdpSimulcastId(string Rid, bool Paused);

/// <summary>
/// a=simulcast:&lt;send|recv&gt; &lt;streams&gt; [&lt;recv|send&gt; &lt;streams&gt;] (RFC 8853 §5.1). Streams are separated by ';',
/// each a list of alternative RIDs separated by ',' (the first is preferred).
/// </summary>
public sealed record SdpSimulcast(IReadOnlyList<IReadOnlyList<SdpSimulcastId>> Send, IReadOnlyList<IReadOnlyList<SdpSimulcastId>> Receive);
