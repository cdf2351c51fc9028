namespace Gateway.Tests.Sdp;

/// <summary>
/// Offers shaped like what browsers send to WHIP/WHEP endpoints (written for these tests, following the
/// layout of Chrome's and Firefox's createOffer output after ICE gathering). CRLF line endings, as sent.
/// </summary>
internal static class BrowserOffers
{
    public const string ChromeFingerprint =
        "sha-256 3F:9A:21:C4:7B:0E:55:D2:8C:16:AF:42:E9:73:0B:6D:C8:91:5E:2A:7F:04:B3:66:D1:38:E5:9C:02:4F:AB:17";

    public const string ChromeUfrag = "Xq7m";
    public const string ChromePwd = "h3K9pL2vN8qR4sT6wY1zA5bC";

    /// <summary>Chrome publishing camera + microphone over WHIP: two sendonly transceivers.</summary>
    public static readonly string ChromeWhip = """
        v=0
        o=- 6841926357290143817 2 IN IP4 127.0.0.1
        s=-
        t=0 0
        a=group:BUNDLE 0 1
        a=extmap-allow-mixed
        a=msid-semantic: WMS 8b2f4c1e-3d5a-4f6b-9c7d-1e2f3a4b5c6d
        m=audio 54321 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
        c=IN IP4 192.168.1.23
        a=rtcp:9 IN IP4 0.0.0.0
        a=candidate:2784917315 1 udp 2122260223 192.168.1.23 54321 typ host generation 0 network-id 1 network-cost 10
        a=candidate:1593245839 1 udp 2122194687 7d0c2e6a-51f8-4b1a-a3f2-9e8d7c6b5a41.local 60117 typ host generation 0 network-id 2
        a=candidate:3829461177 1 tcp 1518280447 192.168.1.23 9 typ host tcptype active generation 0 network-id 1 network-cost 10
        a=candidate:842163049 1 udp 1686052607 203.0.113.45 54321 typ srflx raddr 192.168.1.23 rport 54321 generation 0 network-id 1 network-cost 10
        a=ice-ufrag:Xq7m
        a=ice-pwd:h3K9pL2vN8qR4sT6wY1zA5bC
        a=ice-options:trickle
        a=fingerprint:sha-256 3F:9A:21:C4:7B:0E:55:D2:8C:16:AF:42:E9:73:0B:6D:C8:91:5E:2A:7F:04:B3:66:D1:38:E5:9C:02:4F:AB:17
        a=setup:actpass
        a=mid:0
        a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
        a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
        a=sendonly
        a=msid:8b2f4c1e-3d5a-4f6b-9c7d-1e2f3a4b5c6d 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:111 opus/48000/2
        a=rtcp-fb:111 transport-cc
        a=fmtp:111 minptime=10;useinbandfec=1
        a=rtpmap:63 red/48000/2
        a=fmtp:63 111/111
        a=rtpmap:9 G722/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:13 CN/8000
        a=rtpmap:110 telephone-event/48000
        a=rtpmap:126 telephone-event/8000
        a=ssrc:2849172649 cname:uQ4mZc9Lr2Xp7VtB
        a=ssrc:2849172649 msid:8b2f4c1e-3d5a-4f6b-9c7d-1e2f3a4b5c6d 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
        m=video 54321 UDP/TLS/RTP/SAVPF 96 97 98 99 100 101 35 36 102 103 104 105 106 107 108 109 127 125 39 40 112 113 114 115 116
        c=IN IP4 192.168.1.23
        a=rtcp:9 IN IP4 0.0.0.0
        a=candidate:2784917315 1 udp 2122260223 192.168.1.23 54321 typ host generation 0 network-id 1 network-cost 10
        a=candidate:842163049 1 udp 1686052607 203.0.113.45 54321 typ srflx raddr 192.168.1.23 rport 54321 generation 0 network-id 1 network-cost 10
        a=ice-ufrag:Xq7m
        a=ice-pwd:h3K9pL2vN8qR4sT6wY1zA5bC
        a=ice-options:trickle
        a=fingerprint:sha-256 3F:9A:21:C4:7B:0E:55:D2:8C:16:AF:42:E9:73:0B:6D:C8:91:5E:2A:7F:04:B3:66:D1:38:E5:9C:02:4F:AB:17
        a=setup:actpass
        a=mid:1
        a=extmap:14 urn:ietf:params:rtp-hdrext:toffset
        a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=extmap:13 urn:3gpp:video-orientation
        a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
        a=extmap:6 http://www.webrtc.org/experiments/rtp-hdrext/video-content-type
        a=extmap:7 http://www.webrtc.org/experiments/rtp-hdrext/video-timing
        a=extmap:8 http://www.webrtc.org/experiments/rtp-hdrext/color-space
        a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
        a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id
        a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id
        a=sendonly
        a=msid:8b2f4c1e-3d5a-4f6b-9c7d-1e2f3a4b5c6d 7a6b5c4d-3e2f-1a0b-9c8d-7e6f5a4b3c2d
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:96 VP8/90000
        a=rtcp-fb:96 goog-remb
        a=rtcp-fb:96 transport-cc
        a=rtcp-fb:96 ccm fir
        a=rtcp-fb:96 nack
        a=rtcp-fb:96 nack pli
        a=rtpmap:97 rtx/90000
        a=fmtp:97 apt=96
        a=rtpmap:98 VP9/90000
        a=rtcp-fb:98 goog-remb
        a=rtcp-fb:98 transport-cc
        a=rtcp-fb:98 ccm fir
        a=rtcp-fb:98 nack
        a=rtcp-fb:98 nack pli
        a=fmtp:98 profile-id=0
        a=rtpmap:99 rtx/90000
        a=fmtp:99 apt=98
        a=rtpmap:100 VP9/90000
        a=rtcp-fb:100 goog-remb
        a=rtcp-fb:100 transport-cc
        a=rtcp-fb:100 ccm fir
        a=rtcp-fb:100 nack
        a=rtcp-fb:100 nack pli
        a=fmtp:100 profile-id=2
        a=rtpmap:101 rtx/90000
        a=fmtp:101 apt=100
        a=rtpmap:35 AV1/90000
        a=rtcp-fb:35 goog-remb
        a=rtcp-fb:35 transport-cc
        a=rtcp-fb:35 ccm fir
        a=rtcp-fb:35 nack
        a=rtcp-fb:35 nack pli
        a=fmtp:35 level-idx=5;profile=0;tier=0
        a=rtpmap:36 rtx/90000
        a=fmtp:36 apt=35
        a=rtpmap:102 H264/90000
        a=rtcp-fb:102 goog-remb
        a=rtcp-fb:102 transport-cc
        a=rtcp-fb:102 ccm fir
        a=rtcp-fb:102 nack
        a=rtcp-fb:102 nack pli
        a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
        a=rtpmap:103 rtx/90000
        a=fmtp:103 apt=102
        a=rtpmap:104 H264/90000
        a=rtcp-fb:104 goog-remb
        a=rtcp-fb:104 transport-cc
        a=rtcp-fb:104 ccm fir
        a=rtcp-fb:104 nack
        a=rtcp-fb:104 nack pli
        a=fmtp:104 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f
        a=rtpmap:105 rtx/90000
        a=fmtp:105 apt=104
        a=rtpmap:106 H264/90000
        a=rtcp-fb:106 goog-remb
        a=rtcp-fb:106 transport-cc
        a=rtcp-fb:106 ccm fir
        a=rtcp-fb:106 nack
        a=rtcp-fb:106 nack pli
        a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
        a=rtpmap:107 rtx/90000
        a=fmtp:107 apt=106
        a=rtpmap:108 H264/90000
        a=rtcp-fb:108 goog-remb
        a=rtcp-fb:108 transport-cc
        a=rtcp-fb:108 ccm fir
        a=rtcp-fb:108 nack
        a=rtcp-fb:108 nack pli
        a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f
        a=rtpmap:109 rtx/90000
        a=fmtp:109 apt=108
        a=rtpmap:127 H264/90000
        a=rtcp-fb:127 goog-remb
        a=rtcp-fb:127 transport-cc
        a=rtcp-fb:127 ccm fir
        a=rtcp-fb:127 nack
        a=rtcp-fb:127 nack pli
        a=fmtp:127 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f
        a=rtpmap:125 rtx/90000
        a=fmtp:125 apt=127
        a=rtpmap:39 H264/90000
        a=rtcp-fb:39 goog-remb
        a=rtcp-fb:39 transport-cc
        a=rtcp-fb:39 ccm fir
        a=rtcp-fb:39 nack
        a=rtcp-fb:39 nack pli
        a=fmtp:39 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=4d001f
        a=rtpmap:40 rtx/90000
        a=fmtp:40 apt=39
        a=rtpmap:112 H264/90000
        a=rtcp-fb:112 goog-remb
        a=rtcp-fb:112 transport-cc
        a=rtcp-fb:112 ccm fir
        a=rtcp-fb:112 nack
        a=rtcp-fb:112 nack pli
        a=fmtp:112 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=64001f
        a=rtpmap:113 rtx/90000
        a=fmtp:113 apt=112
        a=rtpmap:114 red/90000
        a=rtpmap:115 rtx/90000
        a=fmtp:115 apt=114
        a=rtpmap:116 ulpfec/90000
        a=ssrc-group:FID 1836204971 2475018363
        a=ssrc:1836204971 cname:uQ4mZc9Lr2Xp7VtB
        a=ssrc:1836204971 msid:8b2f4c1e-3d5a-4f6b-9c7d-1e2f3a4b5c6d 7a6b5c4d-3e2f-1a0b-9c8d-7e6f5a4b3c2d
        a=ssrc:2475018363 cname:uQ4mZc9Lr2Xp7VtB
        a=ssrc:2475018363 msid:8b2f4c1e-3d5a-4f6b-9c7d-1e2f3a4b5c6d 7a6b5c4d-3e2f-1a0b-9c8d-7e6f5a4b3c2d

        """.ReplaceLineEndings("\r\n");

    public const string FirefoxFingerprint =
        "sha-256 C2:5E:8B:19:F4:6A:03:D7:9E:41:B8:2C:75:E0:1F:A6:3B:94:D8:07:6C:E2:5A:B1:48:0D:F9:33:7E:C5:12:8A";

    /// <summary>Firefox publishing over WHIP: fingerprint at session level, ICE credentials per section,
    /// attributes in alphabetical order, brace-wrapped ids, a=end-of-candidates.</summary>
    public static readonly string FirefoxWhip = """
        v=0
        o=mozilla...THIS_IS_SDPARTA-128.0 3127845410729264581 0 IN IP4 0.0.0.0
        s=-
        t=0 0
        a=fingerprint:sha-256 C2:5E:8B:19:F4:6A:03:D7:9E:41:B8:2C:75:E0:1F:A6:3B:94:D8:07:6C:E2:5A:B1:48:0D:F9:33:7E:C5:12:8A
        a=group:BUNDLE 0 1
        a=ice-options:trickle
        a=msid-semantic:WMS *
        m=audio 49203 UDP/TLS/RTP/SAVPF 109 9 0 8 101
        c=IN IP4 10.0.0.7
        a=candidate:0 1 UDP 2122252543 10.0.0.7 49203 typ host
        a=candidate:2 1 TCP 2105524479 10.0.0.7 9 typ host tcptype active
        a=candidate:1 1 UDP 1686052863 198.51.100.9 49203 typ srflx raddr 10.0.0.7 rport 49203
        a=sendonly
        a=end-of-candidates
        a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
        a=extmap:2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level
        a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid
        a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1
        a=fmtp:101 0-15
        a=ice-pwd:4f9a2c71e8b35d06a1c9e7f2b8d43a6e
        a=ice-ufrag:91d3c5a7
        a=mid:0
        a=msid:{5d8e2f71-0c4a-4b93-8e6d-2a7f1c9b3e05} {e3a1b7c9-4d2f-4e86-9b0a-6c5d8e7f1a23}
        a=rtcp-mux
        a=rtpmap:109 opus/48000/2
        a=rtpmap:9 G722/8000/1
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000/1
        a=setup:actpass
        a=ssrc:3418072215 cname:{a7c3e9f1-2b4d-4c68-8e0a-1f3b5d7c9e2a}
        m=video 49203 UDP/TLS/RTP/SAVPF 120 124 121 125 126 127 97 98 123 122 119
        c=IN IP4 10.0.0.7
        a=candidate:0 1 UDP 2122252543 10.0.0.7 49203 typ host
        a=sendonly
        a=end-of-candidates
        a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid
        a=extmap:4 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=extmap:5 urn:ietf:params:rtp-hdrext:toffset
        a=extmap:6/recvonly http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
        a=extmap:7 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=fmtp:126 profile-level-id=42e01f;level-asymmetry-allowed=1;packetization-mode=1
        a=fmtp:97 profile-level-id=42e01f;level-asymmetry-allowed=1
        a=fmtp:120 max-fs=12288;max-fr=60
        a=fmtp:124 apt=120
        a=fmtp:121 max-fs=12288;max-fr=60
        a=fmtp:125 apt=121
        a=fmtp:127 apt=126
        a=fmtp:98 apt=97
        a=fmtp:119 apt=122
        a=ice-pwd:4f9a2c71e8b35d06a1c9e7f2b8d43a6e
        a=ice-ufrag:91d3c5a7
        a=mid:1
        a=msid:{5d8e2f71-0c4a-4b93-8e6d-2a7f1c9b3e05} {b2d4f6a8-1c3e-4a5b-8d7f-9e0a2c4b6d8f}
        a=rtcp-fb:120 nack
        a=rtcp-fb:120 nack pli
        a=rtcp-fb:120 ccm fir
        a=rtcp-fb:120 goog-remb
        a=rtcp-fb:120 transport-cc
        a=rtcp-fb:121 nack
        a=rtcp-fb:121 nack pli
        a=rtcp-fb:121 ccm fir
        a=rtcp-fb:121 goog-remb
        a=rtcp-fb:121 transport-cc
        a=rtcp-fb:126 nack
        a=rtcp-fb:126 nack pli
        a=rtcp-fb:126 ccm fir
        a=rtcp-fb:126 goog-remb
        a=rtcp-fb:126 transport-cc
        a=rtcp-fb:97 nack
        a=rtcp-fb:97 nack pli
        a=rtcp-fb:97 ccm fir
        a=rtcp-fb:97 goog-remb
        a=rtcp-fb:97 transport-cc
        a=rtcp-fb:123 nack
        a=rtcp-fb:123 nack pli
        a=rtcp-fb:123 ccm fir
        a=rtcp-fb:123 goog-remb
        a=rtcp-fb:123 transport-cc
        a=rtcp-fb:122 nack
        a=rtcp-fb:122 nack pli
        a=rtcp-fb:122 ccm fir
        a=rtcp-fb:122 goog-remb
        a=rtcp-fb:122 transport-cc
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:120 VP8/90000
        a=rtpmap:124 rtx/90000
        a=rtpmap:121 VP9/90000
        a=rtpmap:125 rtx/90000
        a=rtpmap:126 H264/90000
        a=rtpmap:127 rtx/90000
        a=rtpmap:97 H264/90000
        a=rtpmap:98 rtx/90000
        a=rtpmap:123 ulpfec/90000
        a=rtpmap:122 red/90000
        a=rtpmap:119 rtx/90000
        a=setup:actpass
        a=ssrc:2051873196 cname:{a7c3e9f1-2b4d-4c68-8e0a-1f3b5d7c9e2a}
        a=ssrc:3920461758 cname:{a7c3e9f1-2b4d-4c68-8e0a-1f3b5d7c9e2a}
        a=ssrc-group:FID 2051873196 3920461758

        """.ReplaceLineEndings("\r\n");

    /// <summary>Chrome subscribing over WHEP: two recvonly transceivers, no a=msid or a=ssrc of its own.</summary>
    public static readonly string ChromeWhep = """
        v=0
        o=- 2190738465129837465 2 IN IP4 127.0.0.1
        s=-
        t=0 0
        a=group:BUNDLE 0 1
        a=extmap-allow-mixed
        a=msid-semantic: WMS
        m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
        c=IN IP4 0.0.0.0
        a=rtcp:9 IN IP4 0.0.0.0
        a=ice-ufrag:Lp3w
        a=ice-pwd:Zr8xQ2mV6nB4cT1yK9hJ7gF5
        a=ice-options:trickle
        a=fingerprint:sha-256 7D:11:E6:A2:4C:93:58:0F:B7:2E:C9:64:1A:D5:80:3B:F2:49:6E:07:AC:35:98:D1:62:4B:E8:1F:70:C3:5A:96
        a=setup:actpass
        a=mid:0
        a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
        a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
        a=recvonly
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:111 opus/48000/2
        a=rtcp-fb:111 transport-cc
        a=fmtp:111 minptime=10;useinbandfec=1
        a=rtpmap:63 red/48000/2
        a=fmtp:63 111/111
        a=rtpmap:9 G722/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:13 CN/8000
        a=rtpmap:110 telephone-event/48000
        a=rtpmap:126 telephone-event/8000
        m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 106 107 35 36
        c=IN IP4 0.0.0.0
        a=rtcp:9 IN IP4 0.0.0.0
        a=ice-ufrag:Lp3w
        a=ice-pwd:Zr8xQ2mV6nB4cT1yK9hJ7gF5
        a=ice-options:trickle
        a=fingerprint:sha-256 7D:11:E6:A2:4C:93:58:0F:B7:2E:C9:64:1A:D5:80:3B:F2:49:6E:07:AC:35:98:D1:62:4B:E8:1F:70:C3:5A:96
        a=setup:actpass
        a=mid:1
        a=extmap:14 urn:ietf:params:rtp-hdrext:toffset
        a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=extmap:13 urn:3gpp:video-orientation
        a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
        a=recvonly
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:96 VP8/90000
        a=rtcp-fb:96 goog-remb
        a=rtcp-fb:96 transport-cc
        a=rtcp-fb:96 ccm fir
        a=rtcp-fb:96 nack
        a=rtcp-fb:96 nack pli
        a=rtpmap:97 rtx/90000
        a=fmtp:97 apt=96
        a=rtpmap:102 H264/90000
        a=rtcp-fb:102 goog-remb
        a=rtcp-fb:102 transport-cc
        a=rtcp-fb:102 ccm fir
        a=rtcp-fb:102 nack
        a=rtcp-fb:102 nack pli
        a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
        a=rtpmap:103 rtx/90000
        a=fmtp:103 apt=102
        a=rtpmap:106 H264/90000
        a=rtcp-fb:106 goog-remb
        a=rtcp-fb:106 transport-cc
        a=rtcp-fb:106 ccm fir
        a=rtcp-fb:106 nack
        a=rtcp-fb:106 nack pli
        a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
        a=rtpmap:107 rtx/90000
        a=fmtp:107 apt=106
        a=rtpmap:35 AV1/90000
        a=rtcp-fb:35 goog-remb
        a=rtcp-fb:35 transport-cc
        a=rtcp-fb:35 ccm fir
        a=rtcp-fb:35 nack
        a=rtcp-fb:35 nack pli
        a=fmtp:35 level-idx=5;profile=0;tier=0
        a=rtpmap:36 rtx/90000
        a=fmtp:36 apt=35

        """.ReplaceLineEndings("\r\n");
}
