"""nnlib's error messages in Korean, keyed by their English template (``nnlib.messages.Message``; see
``playground.i18n``): the same ``{placeholders}``, conversions and formats, wherever Korean puts them."""

KO_ERRORS = {
    # nnlib.messages: a few of many
    "{listed} and {more:,} more": "{listed} 외 {more:,}개",
    # nnlib.io: weights files
    "not a weights file (.npz) written by nnlib: {reason}": "nnlib이 쓴 가중치 파일 (.npz)이 아닙니다: {reason}",
    "it is not a zip archive": "zip 압축 파일이 아닙니다",
    "this is a single NumPy array (.npy), not a weights file (.npz) written by nnlib": "NumPy 배열 하나 (.npy)"
    "입니다. nnlib이 쓴 가중치 파일 (.npz)이 아닙니다",
    "the archive's list of members takes {size:,} bytes, more than the {limit:,} allowed": "압축 파일의 멤버 목록이 "
    "{size:,}바이트로, 허용된 {limit:,}바이트를 넘습니다",
    "duplicate array(s) {names}: a weights file holds each array once": "배열 {names}이(가) 두 번 이상 있습니다: "
    "가중치 파일에는 배열마다 하나씩만 있습니다",
    "the file would unpack to {declared:,} bytes, more than the {limit:,} allowed": "압축을 풀면 {declared:,}바이트가 "
    "되어 허용된 {limit:,}바이트를 넘습니다",
    "the architecture needs {needed:,} bytes of parameters, but the file holds {declared:,}": "구조에는 매개변수 "
    "{needed:,}바이트가 필요하지만 파일에는 {declared:,}바이트뿐입니다",
    "unexpected array(s) {names} for this architecture": "이 구조에 없는 배열 {names}이(가) 있습니다",
    "missing array {name!r}: not a complete weights file written by nnlib": "배열 {name!r}이(가) 없습니다: nnlib이 "
    "쓴 온전한 가중치 파일이 아닙니다",
    "array {name!r} cannot be read: {reason}": "배열 {name!r}을(를) 읽을 수 없습니다: {reason}",
    "compression method {method} (NumPy writes only stored or deflated members)": "압축 방식 {method} (NumPy는 "
    "무압축이나 deflate로만 씁니다)",
    "it is not a NumPy array (.npy)": "NumPy 배열 (.npy)이 아닙니다",
    ".npy format version {major}.{minor} (NumPy writes 1.0 or 2.0 for arrays of numbers)": ".npy 형식 버전 "
    "{major}.{minor} (NumPy는 수의 배열을 1.0이나 2.0으로 씁니다)",
    "its header declares {declared:,} bytes of data, but it holds {held:,}": "헤더에는 데이터가 {declared:,}바이트라고 "
    "되어 있지만 {held:,}바이트뿐입니다",
    "{key!r} must be one JSON string": "{key!r}은(는) JSON 문자열 하나여야 합니다",
    "{key!r} is not valid JSON: {reason}": "{key!r}은(는) 올바른 JSON이 아닙니다: {reason}",
    "not an nnlib weights file: {key!r} lacks format {format!r}": "nnlib 가중치 파일이 아닙니다: {key!r}에 format "
    "{format!r}이(가) 없습니다",
    "weights file version {version} is not supported (expected {expected})": "가중치 파일 버전 {version}은(는) "
    "지원하지 않습니다 (기대한 버전 {expected})",
    "the architecture has no 'config' object": "구조에 'config' 객체가 없습니다",
    "unknown model class {kind}: expected MLP or TwoLayerNet": "알 수 없는 모델 클래스 {kind}: MLP나 TwoLayerNet"
    "이어야 합니다",
    "'hidden_sizes' must be a list of at most {limit} layer sizes": "'hidden_sizes'는 층 크기 {limit}개 이하의 "
    "목록이어야 합니다",
    "'activation' must be a list of {names}": "'activation'은 {names}의 목록이어야 합니다",
    "'activation' must name one activation per hidden layer: it names {count} for {layers}": "'activation'에는 "
    "은닉층마다 활성화 함수가 하나씩 있어야 하는데, 은닉층 {layers}개에 {count}개가 있습니다",
    "'dtype' must be one of {names}": "'dtype'은 {names} 중 하나여야 합니다",
    "{key!r} must be 'float16' or the model's dtype {dtype}, found {value}": "{key!r}은(는) 'float16'이나 모델의 "
    "dtype {dtype}이어야 하는데 {value}입니다",
    "dtype must be float16 or the model's {dtype}, not {given}": "dtype은 float16이나 모델의 {dtype}이어야 합니다. "
    "{given}은(는) 안 됩니다",
    "{name} holds values beyond float16's range (±65,504): save it in {dtype}": "{name}에 float16의 범위(±65,504)를 "
    "넘는 값이 있습니다: {dtype}(으)로 저장하세요",
    "'weight_init' must be 'auto', 'he', 'xavier' or 'std:<positive number>', found {value}": "'weight_init'은 "
    "'auto', 'he', 'xavier', 'std:<양수>' 중 하나여야 하는데 {value}입니다",
    "the config does not describe a TwoLayerNet: it has {layers} hidden layers, not 1": "config가 TwoLayerNet이 "
    "아닙니다: 은닉층이 1개가 아니라 {layers}개입니다",
    "the config does not describe a TwoLayerNet (one sigmoid layer, 'std:0.01' init, float64)": "config가 "
    "TwoLayerNet (시그모이드 층 하나, 'std:0.01' 초깃값, float64)이 아닙니다",
    "architecture config: missing {keys}": "구조 config: {keys} 항목이 없습니다",
    "architecture config: unexpected {keys}": "구조 config: 예상하지 못한 항목 {keys}이(가) 있습니다",
    "{key!r} must hold whole numbers from 1 to {limit}, found {value}": "{key!r}은(는) 1부터 {limit}까지의 정수여야 "
    "하는데 {value}입니다",
    "{key!r} must be a finite number >= 0, found {value}": "{key!r}은(는) 0 이상의 유한한 수여야 하는데 {value}입니다",
    "{name} has shape {shape}, but the architecture needs {needed}": "{name}의 형상은 {shape}인데, 구조에는 "
    "{needed}이(가) 필요합니다",
    "{name} has dtype {dtype}, but the architecture says {needed}": "{name}의 dtype은 {dtype}인데, 구조에는 "
    "{needed}(으)로 되어 있습니다",
    "{name} holds NaN or infinite values": "{name}에 NaN이나 무한대 값이 있습니다",
    # nnlib.datasets: CSV points
    "the file is empty: expected rows of x1, x2, label": "파일이 비어 있습니다: x1, x2, label 행이 있어야 합니다",
    "need at least two classes to classify, but {found}": "분류하려면 클래스가 둘 이상 있어야 하는데, {found}",
    "every row has label {label}": "모든 행의 레이블이 {label}입니다",
    "there are no data rows": "데이터 행이 없습니다",
    "the file is larger than {megabytes} MB": "파일이 {megabytes} MB보다 큽니다",
    "the file is not UTF-8 text (byte {position} cannot be decoded): save the CSV as UTF-8": "파일이 UTF-8 텍스트가 "
    "아닙니다 (바이트 {position}을(를) 해독할 수 없습니다): CSV를 UTF-8로 저장하세요",
    "more than {lines:,} lines, blank ones included: the limit is {points:,} points": "빈 줄을 포함해 {lines:,}줄이 "
    "넘습니다: 점은 {points:,}개까지입니다",
    "row {row}: not readable as CSV ({reason})": "행 {row}: CSV로 읽을 수 없습니다 ({reason})",
    "missing column(s) {missing}: row {row} is not all numbers, so it is read as a header, and it names {names} "
    "instead of x1, x2, label": "열 {missing}이(가) 없습니다: 행 {row}이(가) 모두 숫자가 아니어서 머리글로 "
    "읽었는데, x1, x2, label 대신 {names}이(가) 있습니다",
    "more than {limit:,} data rows: the limit is {limit:,} points": "데이터 행이 {limit:,}개를 넘습니다: 점은 "
    "{limit:,}개까지입니다",
    "row {row}: missing column(s): expected 3 values (x1, x2, label), found {count}": "행 {row}: 열이 빠졌습니다: "
    "값 3개 (x1, x2, label)가 있어야 하는데 {count}개입니다",
    "row {row}: too many columns ({count}): points have 2 input columns, so a file holds exactly 3: "
    "x1, x2, label": "행 {row}: 열이 너무 많습니다 ({count}개): 점의 입력 열은 2개이므로 파일의 열은 정확히 3개 "
    "(x1, x2, label)입니다",
    "row {row}, column label: a label must be a whole number from 0 to {largest}, found {value}": "행 {row}, label "
    "열: 레이블은 0부터 {largest}까지의 정수여야 하는데 {value}입니다",
    "row {row}, column {column}: expected a number, found {value}": "행 {row}, {column} 열: 수가 있어야 하는데 "
    "{value}입니다",
    "row {row}, column {column}: {value} is not a finite number (NaN or inf)": "행 {row}, {column} 열: {value}은(는) "
    "유한한 수가 아닙니다 (NaN 또는 inf)",
}
